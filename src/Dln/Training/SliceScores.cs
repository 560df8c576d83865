namespace DeepLanguageNetworks;

/// <summary>
/// The scores of one round's candidates on one slice (<see cref="PromptSelector.Score"/>), and the slice's examples left out for
/// every candidate because one of them overflowed the context window.
/// </summary>
internal sealed record SliceScores(double[] Scores, int[] Dropped, IReadOnlyList<int> Slice, IReadOnlyList<CandidateEvaluation> Evaluations)
{
    /// <summary>
    /// The examples left out of the score of candidate <paramref name="candidate"/> of the round: those dropped
    /// for all, or, when that left none in common, those it overflowed on itself.
    /// </summary>
    public int[] LeftOut(int candidate) => Dropped.Length < Slice.Count
        ? Dropped
        : [.. Evaluations[candidate].Overflowed.Order().Select(j => Slice[j])];
}
