namespace DeepLanguageNetworks;

/// <summary>
/// Chooses one layer's prompt: the candidates are the current prompt, the remembered good prompts
/// (<see cref="PromptMemory"/>) and the backward model's proposals (<see cref="PromptProposer"/>); every distinct
/// candidate is scored by the layer's objective (<see cref="LayerObjective"/>), and the best score wins, the earlier
/// candidate on ties (so the current prompt stays unless another scores strictly higher).
/// </summary>
/// <remarks>
/// <para>Scoring starts before the proposals are all in: the current and remembered prompts at once, each proposal as
/// soon as it arrives (a repeated text joins the scores of the first), so that no call slot waits for the slowest
/// proposal. Results do not depend on the order in which calls complete.</para>
/// <para>Without racing every candidate is scored on the whole batch. With <see cref="CandidateRacingOptions"/> the
/// candidates race (successive halving): all are scored on a first slice of the batch, the better part goes on to a
/// larger slice, until one remains or the slice is the whole batch; the decisive comparison of every round is on the
/// same examples for every survivor.</para>
/// <para>An example whose request does not fit the context window under some candidate of a round (a long proposal, a
/// long hidden sample) is left out of that round's slice for every candidate of the round, so that all are scored over
/// the same examples; if that leaves none, the candidates that overflowed score NaN (and lose) while the others are
/// scored over the whole slice (<see cref="Score"/>). Without racing the one round is the whole batch.</para>
/// </remarks>
internal sealed class PromptSelector(Dln network, PromptProposer proposer, PromptMemory memory, int promptCandidates, CandidateRacingOptions? racing, TrainingObserver observer)
{
    /// <summary>
    /// Starts the proposals of layer <paramref name="layer"/>: every random choice is drawn from
    /// <paramref name="random"/> before this returns, then the calls run.
    /// </summary>
    /// <param name="layer">The layer.</param>
    /// <param name="shown">The batch items the backward model sees.</param>
    /// <param name="random">The step's stream (proposal orders and seeds).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public ProposalRound Propose(int layer, IReadOnlyList<ProposalExample> shown, Random random, CancellationToken cancellationToken)
    {
        var current = network.Layers[layer].Prompt;
        var remembered = memory.PromptsForLayer(layer).Where(p => p != current).ToArray();
        return new ProposalRound(
            layer,
            current,
            remembered,
            Math.Max(0, promptCandidates - 1),
            token => proposer.Start([current, .. remembered], shown, promptCandidates - 1, random, new CallPurpose(CallRole.Backward, layer), token),
            observer,
            cancellationToken);
    }

    /// <summary>Scores the candidates of <paramref name="round"/> and sets the layer's prompt to the winner.</summary>
    /// <param name="round">The proposals, started by <see cref="Propose"/>.</param>
    /// <param name="objective">The layer's objective.</param>
    /// <param name="scoreWinnerOnAllExamples">Whether a winner of a race that ended before the whole batch is scored on the rest of it (its terms are then returned).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>
    /// How the prompt was chosen (the layer holds it), the examples left out of the winner's score, and the winner's
    /// terms of every other example when it was scored on all of them.
    /// </returns>
    public async Task<Selection> SelectAsync(ProposalRound round, LayerObjective objective, bool scoreWinnerOnAllExamples, CancellationToken cancellationToken)
    {
        using var _ = round;
        // The phase is open from the first score on (scores start while proposals still arrive), so that it is the
        // parent of every scoring call. Until the proposals are in, it plans for every candidate they could make.
        using var phase = observer.BeginPhase(TrainingPhase.Score, round.Layer, (1 + round.Remembered.Count + round.Proposals.Count) * objective.CallsPerCandidate);
        var scoring = new CandidateScoring(objective, round.Token);
        var all = Enumerable.Range(0, objective.Examples).ToArray();
        var firstSlice = racing is null ? all : CandidateRace.Ascending(objective.RacingOrder.Take(racing.FirstSlice(objective.Examples, objective.IsHiddenLayer)));
        var followers = new List<Task>();
        try
        {
            scoring.Start(round.Current, firstSlice);
            foreach (var remembered in round.Remembered)
            {
                scoring.Start(remembered, firstSlice);
            }

            followers.AddRange(round.Proposals.Select(async proposal =>
            {
                var text = (await proposal.ConfigureAwait(false)).Text;
                if (text.Length > 0)
                {
                    scoring.Start(text, firstSlice);
                }
            }));
            await round.Completion.ConfigureAwait(false);
            var cleaned = round.Proposals.Select(p => p.Result).ToArray();
            var candidates = Candidates(round.Current, round.Remembered, cleaned.Where(c => c.Text.Length > 0).Select(c => c.Text), out var duplicates);
            var statistics = PromptProposer.Statistics(cleaned) with { Duplicates = duplicates };

            observer.CandidatesKnown(round.Layer, candidates.Count, candidates.Count * objective.CallsPerCandidate);
            var prompts = candidates.Select(c => c.Prompt).ToArray();
            var result = racing is null
                ? await CandidateRace.ScoreAllAsync(scoring, prompts, all).ConfigureAwait(false)
                : await CandidateRace.RunAsync(scoring, prompts, objective, racing).ConfigureAwait(false);
            if (scoreWinnerOnAllExamples && result.Examples[result.Winner] < all.Length)
            {
                // The race is decided: the winner alone is scored on the whole batch, leaving out what it cannot fit.
                var winner = prompts[result.Winner];
                await scoring.ScoreAsync(winner, all).ConfigureAwait(false);
                var final = scoring.ScoreSlice([winner], all);
                result.Scores[result.Winner] = final.Scores[0];
                result.Examples[result.Winner] = all.Length;
                result = result with { Decisive = final, WinnerInDecisive = 0 };
            }

            var best = result.Winner;
            var chosen = candidates[best].Prompt;
            network.Layers[round.Layer].Prompt = chosen;
            var update = new LayerUpdate(round.Layer, chosen, candidates[best].Origin, result.Scores[best], result.Scores[0], candidates.Count, statistics)
            {
                CandidateScores = candidates.Select((c, i) => new CandidateScore(c.Prompt, c.Origin, result.Scores[i]) { ExamplesScored = result.Examples[i] < all.Length ? result.Examples[i] : null }).ToArray(),
                SelectedIndex = best,
                ContextOverflows = result.Decisive.Dropped.Length,
            };

            // With no common example left, the winner was scored over the whole slice (or, if every candidate
            // overflowed, is the current prompt scored NaN): what it could not score is what the layers below lose.
            var leftOut = result.Decisive.LeftOut(result.WinnerInDecisive);
            var winnerTerms = result.Examples[best] == all.Length
                ? CandidateEvaluation.Remaining(all.Length, leftOut).Select(i => scoring.Term(chosen, i)).ToArray()
                : null;
            return new Selection(update, leftOut, winnerTerms);
        }
        catch
        {
            // A failed proposal or score fails the step: stop the calls the update started and wait until none is
            // left running, so that the abandoned step spends nothing more.
            await round.CancelAndDrainAsync([.. followers, .. scoring.Running]).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Every candidate's score over the examples that fit under all of them, and those left out (see the remarks).</summary>
    internal static (double[] Scores, int[] Dropped) Score(IReadOnlyList<CandidateEvaluation> evaluations)
    {
        var dropped = CandidateEvaluation.Dropped(evaluations);
        if (dropped.Length == 0)
        {
            return ([.. evaluations.Select(e => e.ScoreOver(null))], dropped);
        }

        var examples = evaluations[0].Examples;
        if (dropped.Length < examples)
        {
            var kept = CandidateEvaluation.Remaining(examples, dropped);
            return ([.. evaluations.Select(e => e.ScoreOver(kept))], dropped);
        }

        return ([.. evaluations.Select(e => e.Overflowed.Count == 0 ? e.ScoreOver(null) : double.NaN)], dropped);
    }

    /// <summary>The distinct candidates in scoring order (current, memory, proposals), and how many proposals repeated an earlier candidate.</summary>
    internal static List<(string Prompt, CandidateOrigin Origin)> Candidates(string current, IEnumerable<string> remembered, IEnumerable<string> proposals, out int duplicates)
    {
        var candidates = new List<(string Prompt, CandidateOrigin Origin)> { (current, CandidateOrigin.Current) };
        var seen = new HashSet<string>(StringComparer.Ordinal) { current };
        candidates.AddRange(remembered.Where(seen.Add).Select(p => (p, CandidateOrigin.Memory)));
        duplicates = 0;
        foreach (var p in proposals)
        {
            if (seen.Add(p))
            {
                candidates.Add((p, CandidateOrigin.Proposal));
            }
            else
            {
                duplicates++;
            }
        }

        return candidates;
    }

    /// <summary>The index of the highest score: strictly greater wins, so ties keep the earlier candidate; a NaN loses to any number.</summary>
    internal static int ArgMax(IReadOnlyList<double> scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Count; i++)
        {
            if (scores[i] > scores[best] || (double.IsNaN(scores[best]) && !double.IsNaN(scores[i])))
            {
                best = i;
            }
        }

        return best;
    }
}
