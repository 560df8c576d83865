namespace DeepLanguageNetworks;

/// <summary>
/// One candidate prompt's scoring of the examples of one round (the batch, or a slice of it when candidates race), as
/// the prompt selector needs it: which examples overflowed the context window under this candidate, and the
/// candidate's score over any subset of the examples, so that every candidate of the round is scored over the same
/// examples (those that fit under all of them). Positions are within the round's examples.
/// </summary>
/// <param name="Examples">The number of examples of the round.</param>
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
}

/// <summary>What the prompt selector decided, and which batch examples the layer's scoring left out.</summary>
/// <param name="Update">How the prompt was chosen.</param>
/// <param name="Dropped">The examples (by position) left out of the chosen candidate's score; the layers below go on without them.</param>
/// <param name="WinnerTerms">
/// The chosen candidate's terms of every example not in <paramref name="Dropped"/>, in batch order, when it was scored
/// on the whole batch; null when a race chose it on a slice.
/// </param>
internal sealed record Selection(LayerUpdate Update, int[] Dropped, IReadOnlyList<ExampleTerm>? WinnerTerms);
