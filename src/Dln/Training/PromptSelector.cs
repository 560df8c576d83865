namespace DeepLanguageNetworks;

/// <summary>
/// Chooses one layer's prompt: the candidates are the current prompt, the remembered good prompts
/// (<see cref="PromptMemory"/>) and the backward model's proposals (<see cref="PromptProposer"/>); every distinct
/// candidate is scored once by the layer's objective, and the best score wins, the earlier candidate on ties (so the
/// current prompt stays unless another scores strictly higher).
/// </summary>
internal sealed class PromptSelector(Dln network, PromptProposer proposer, PromptMemory memory, int promptCandidates, TrainingObserver observer)
{
    /// <summary>Proposes, scores and sets the prompt of layer <paramref name="layer"/>.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="shown">The batch items the backward model sees.</param>
    /// <param name="score">The layer's objective: the score of one candidate prompt.</param>
    /// <param name="callsPerCandidate">The requests <paramref name="score"/> makes for one candidate (for progress reports).</param>
    /// <param name="random">The step's stream (proposal orders and seeds).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>How the prompt was chosen; the layer holds the chosen prompt.</returns>
    public async Task<LayerUpdate> SelectAsync(int layer, IReadOnlyList<ProposalExample> shown, Func<string, Task<double>> score, int callsPerCandidate, Random random, CancellationToken cancellationToken)
    {
        var target = network.Layers[layer];
        var current = target.Prompt;
        var remembered = memory.PromptsForLayer(layer).Where(p => p != current).ToArray();
        IReadOnlyList<string> proposals;
        ProposalStatistics statistics;
        using (observer.BeginPhase(TrainingPhase.Propose, layer, plannedCalls: Math.Max(0, promptCandidates - 1)))
        {
            (proposals, statistics) = await proposer.ProposeAsync([current, .. remembered], shown, promptCandidates - 1, random, new CallPurpose(CallRole.Backward, layer), cancellationToken).ConfigureAwait(false);
        }

        var candidates = Candidates(current, remembered, proposals, out var duplicates);
        double[] scores;
        using (observer.BeginPhase(TrainingPhase.Score, layer, candidates.Count, candidates.Count * callsPerCandidate))
        {
            scores = await Task.WhenAll(candidates.Select(c => score(c.Prompt))).ConfigureAwait(false);
        }

        var best = ArgMax(scores);
        target.Prompt = candidates[best].Prompt;
        return new LayerUpdate(layer, candidates[best].Prompt, candidates[best].Origin, scores[best], scores[0], candidates.Count, statistics with { Duplicates = duplicates })
        {
            CandidateScores = candidates.Select((c, i) => new CandidateScore(c.Prompt, c.Origin, scores[i])).ToArray(),
            SelectedIndex = best,
        };
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
