namespace DeepLanguageNetworks;

/// <summary>
/// One candidate prompt's scoring of a batch, as the prompt selector needs it: which examples overflowed the context
/// window under this candidate, and the candidate's score over any subset of the examples, so that every candidate is
/// scored over the same examples (those that fit under all of them).
/// </summary>
/// <param name="Examples">The batch size.</param>
/// <param name="Overflowed">The examples (by position) whose requests did not fit under this candidate.</param>
/// <param name="ScoreOver">The candidate's score over the examples at the given positions; over the whole batch for null.</param>
internal sealed record CandidateEvaluation(int Examples, IReadOnlySet<int> Overflowed, Func<IReadOnlyList<int>?, double> ScoreOver)
{
    /// <summary>The examples that overflowed under at least one of <paramref name="evaluations"/>, in batch order.</summary>
    public static int[] Dropped(IEnumerable<CandidateEvaluation> evaluations) =>
        [.. evaluations.SelectMany(e => e.Overflowed).Distinct().Order()];

    /// <summary>The positions 0..<paramref name="examples"/>−1 that are not in <paramref name="dropped"/>, in order.</summary>
    public static int[] Remaining(int examples, IReadOnlyCollection<int> dropped) =>
        dropped.Count == 0 ? [.. Enumerable.Range(0, examples)] : [.. Enumerable.Range(0, examples).Where(i => !dropped.Contains(i))];

    /// <summary>The per-example score rows at <paramref name="kept"/> (all for null), for an evaluation's formulas; a row is null only for an example that overflowed, which is never picked.</summary>
    public static IReadOnlyList<IReadOnlyList<double>> Rows(IReadOnlyList<double[]?> rows, IReadOnlyList<int>? kept) =>
        [.. Pick(rows, kept).Select(r => (IReadOnlyList<double>)(r ?? throw new InvalidOperationException("An example that overflowed was scored.")))];

    /// <summary>The items of <paramref name="items"/> at <paramref name="kept"/>; the list itself for null.</summary>
    public static IReadOnlyList<T> Pick<T>(IReadOnlyList<T> items, IReadOnlyList<int>? kept) =>
        kept is null ? items : [.. kept.Select(i => items[i])];
}

/// <summary>What the prompt selector decided, and which batch examples the layer's scoring left out.</summary>
/// <param name="Update">How the prompt was chosen.</param>
/// <param name="Dropped">The examples (by position) the chosen candidate could not score; the layers below go on without them.</param>
internal sealed record Selection(LayerUpdate Update, int[] Dropped);
