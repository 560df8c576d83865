namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>Comparisons of token sequences used to find and order shared prefixes.</summary>
internal static class TokenSequences
{
    /// <summary>The number of leading tokens two sequences have in common.</summary>
    /// <param name="first">A token sequence.</param>
    /// <param name="second">Another token sequence.</param>
    /// <returns>The length of their longest common prefix.</returns>
    public static int CommonPrefixLength(ReadOnlySpan<int> first, ReadOnlySpan<int> second) => first.CommonPrefixLength(second);

    /// <summary>Lexicographic order, so that sorting puts sequences with long common prefixes next to each other.</summary>
    /// <param name="first">A token sequence.</param>
    /// <param name="second">Another token sequence.</param>
    /// <returns>Negative, zero or positive as in <see cref="IComparer{T}.Compare"/>.</returns>
    public static int Compare(int[] first, int[] second) => first.AsSpan().SequenceCompareTo(second);
}
