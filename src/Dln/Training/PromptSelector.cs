namespace DeepLanguageNetworks;

/// <summary>
/// Chooses one layer's prompt: the candidates are the current prompt, the remembered good prompts
/// (<see cref="PromptMemory"/>) and the backward model's proposals (<see cref="PromptProposer"/>); every distinct
/// candidate is scored once by the layer's objective, and the best score wins, the earlier candidate on ties (so the
/// current prompt stays unless another scores strictly higher).
/// </summary>
/// <remarks>
/// An example whose request does not fit the context window under some candidate (a long proposal, a long hidden
/// sample) is left out for every candidate, so that all are scored over the same examples; if that leaves none, the
/// candidates that overflowed score NaN (and lose) while the others are scored over the whole batch.
/// </remarks>
internal sealed class PromptSelector(Dln network, PromptProposer proposer, PromptMemory memory, int promptCandidates, TrainingObserver observer)
{
    /// <summary>Proposes, scores and sets the prompt of layer <paramref name="layer"/>.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="shown">The batch items the backward model sees.</param>
    /// <param name="score">The layer's objective: the scoring of one candidate prompt.</param>
    /// <param name="random">The step's stream (proposal orders and seeds).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>How the prompt was chosen, and the examples left out; the layer holds the chosen prompt.</returns>
    public async Task<Selection> SelectAsync(int layer, IReadOnlyList<ProposalExample> shown, Func<string, Task<CandidateEvaluation>> score, Random random, CancellationToken cancellationToken)
    {
        var target = network.Layers[layer];
        var current = target.Prompt;
        var remembered = memory.PromptsForLayer(layer).Where(p => p != current).ToArray();
        IReadOnlyList<string> proposals;
        ProposalStatistics statistics;
        using (observer.BeginPhase(TrainingPhase.Propose, layer))
        {
            (proposals, statistics) = await proposer.ProposeAsync([current, .. remembered], shown, promptCandidates - 1, random, new CallPurpose(CallRole.Backward, layer), cancellationToken).ConfigureAwait(false);
        }

        var candidates = Candidates(current, remembered, proposals, out var duplicates);
        CandidateEvaluation[] evaluations;
        using (observer.BeginPhase(TrainingPhase.Score, layer, candidates.Count))
        {
            evaluations = await Task.WhenAll(candidates.Select(c => score(c.Prompt))).ConfigureAwait(false);
        }

        var (scores, dropped) = Score(evaluations);
        var best = ArgMax(scores);
        target.Prompt = candidates[best].Prompt;
        var update = new LayerUpdate(layer, candidates[best].Prompt, candidates[best].Origin, scores[best], scores[0], candidates.Count, statistics with { Duplicates = duplicates })
        {
            CandidateScores = candidates.Select((c, i) => new CandidateScore(c.Prompt, c.Origin, scores[i])).ToArray(),
            SelectedIndex = best,
            ContextOverflows = dropped.Length,
        };

        // With no common example left, the winner was scored over the whole batch (or, if every candidate overflowed,
        // is the current prompt scored NaN): what it could not score is what the layers below lose.
        return new Selection(update, dropped.Length < evaluations[0].Examples ? dropped : [.. evaluations[best].Overflowed.Order()]);
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
