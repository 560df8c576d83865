namespace DeepLanguageNetworks;

/// <summary>
/// The rounds that score a layer's candidates (<see cref="PromptSelector"/>): without racing one round on the whole
/// batch; with <see cref="CandidateRacingOptions"/> successive halving, every round comparing its survivors on the same
/// slice of the batch, candidates clearly behind leaving early when a drop margin is set.
/// </summary>
internal static class CandidateRace
{
    /// <summary>
    /// The candidates that go on to the next round: the <paramref name="keep"/> best of <paramref name="survivors"/>
    /// (by score, the earlier candidate on ties, NaN last), and candidate 0 when <paramref name="keepFirst"/>; in
    /// candidate order.
    /// </summary>
    public static int[] Survivors(IReadOnlyList<int> survivors, IReadOnlyList<double> scores, int keep, bool keepFirst)
    {
        var ranked = survivors
            .OrderByDescending(c => double.IsNaN(scores[c]) ? double.NegativeInfinity : scores[c])
            .ThenBy(c => double.IsNaN(scores[c]) ? 1 : 0)
            .ThenBy(c => c)
            .Take(keep);
        var next = new SortedSet<int>(ranked);
        if (keepFirst && survivors.Contains(0))
        {
            next.Add(0);
        }

        return [.. next];
    }

    /// <summary>A slice's examples in ascending order, the order their terms are summed in (so a slice's score does not depend on how it was drawn).</summary>
    public static int[] Ascending(IEnumerable<int> examples) => [.. examples.Order()];

    /// <summary>Every candidate scored on the whole batch: one round.</summary>
    public static async Task<Race> ScoreAllAsync(CandidateScoring scoring, string[] prompts, int[] all)
    {
        await Task.WhenAll(prompts.Select(p => scoring.ScoreAsync(p, all))).ConfigureAwait(false);
        var round = scoring.ScoreSlice(prompts, all);
        var winner = PromptSelector.ArgMax(round.Scores);
        return new Race(winner, round.Scores, prompts.Select(_ => all.Length).ToArray(), round, winner);
    }

    /// <summary>The rounds of successive halving (see <see cref="CandidateRacingOptions"/>) until one candidate is left or the slice is the whole batch.</summary>
    public static async Task<Race> RunAsync(CandidateScoring scoring, string[] prompts, LayerObjective objective, CandidateRacingOptions racing)
    {
        var batch = objective.Examples;
        var scores = new double[prompts.Length];
        var examples = new int[prompts.Length];
        int[] survivors = [.. Enumerable.Range(0, prompts.Length)];
        var size = racing.FirstSlice(batch, objective.IsHiddenLayer);
        while (true)
        {
            var slice = Ascending(objective.RacingOrder.Take(size));
            await Task.WhenAll(survivors.Select(c => scoring.ScoreAsync(prompts[c], slice))).ConfigureAwait(false);
            var round = scoring.ScoreSlice([.. survivors.Select(c => prompts[c])], slice);
            for (var k = 0; k < survivors.Length; k++)
            {
                scores[survivors[k]] = round.Scores[k];
                examples[survivors[k]] = size;
            }

            if (size >= batch)
            {
                var best = PromptSelector.ArgMax(round.Scores);
                return new Race(survivors[best], scores, examples, round, best);
            }

            var next = Survivors(survivors, scores, racing.Survivors(survivors.Length, objective.IsHiddenLayer), racing.KeepCurrentPrompt);
            if (racing.DropMargin is not null && !objective.HasTrustRegion)
            {
                next = WithoutClearlyBehind(next, survivors, round, slice, racing, objective, scoring, prompts);
            }

            if (next.Length == 1)
            {
                return new Race(next[0], scores, examples, round, Array.IndexOf(survivors, next[0]));
            }

            survivors = next;
            size = racing.NextSlice(size, batch);
        }
    }

    /// <summary>
    /// <paramref name="next"/> without the candidates clearly behind the round's leader
    /// (<see cref="CandidateRacingOptions.IsClearlyBehind"/>), compared on the examples the round scored for all; the
    /// leader, a candidate scored NaN and, with <see cref="CandidateRacingOptions.KeepCurrentPrompt"/>, the current
    /// prompt always stay.
    /// </summary>
    private static int[] WithoutClearlyBehind(int[] next, int[] survivors, SliceScores round, int[] slice, CandidateRacingOptions racing, LayerObjective objective, CandidateScoring scoring, string[] prompts)
    {
        if (round.Dropped.Length >= slice.Length || double.IsNaN(round.Scores[PromptSelector.ArgMax(round.Scores)]))
        {
            return next;
        }

        // Every term is a mean over examples, so a candidate's term of one example is its objective on that example.
        var common = round.Dropped.Length == 0 ? slice : [.. slice.Where(i => !round.Dropped.Contains(i))];
        var leader = survivors[PromptSelector.ArgMax(round.Scores)];
        double Term(int candidate, int example) => objective.Aggregate([example], i => scoring.Term(prompts[candidate], i));
        var lead = common.Select(i => Term(leader, i)).ToArray();
        return [.. next.Where(c => c == leader
            || (c == 0 && racing.KeepCurrentPrompt)
            || double.IsNaN(round.Scores[Array.IndexOf(survivors, c)])
            || !racing.IsClearlyBehind([.. common.Select((i, k) => lead[k] - Term(c, i))], objective.Examples))];
    }

    /// <summary>
    /// The winner, and every candidate's score and the number of examples it is the score on; the round that decided
    /// the winner's score, and the winner's place in it.
    /// </summary>
    public sealed record Race(int Winner, double[] Scores, int[] Examples, SliceScores Decisive, int WinnerInDecisive);
}
