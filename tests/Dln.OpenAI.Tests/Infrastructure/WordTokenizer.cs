using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// A toy tokenizer for fake servers: each token is a run of white space followed by a run of non-white-space (like
/// byte-level BPE, which attaches the leading space to the word), or trailing white space alone.
/// </summary>
public static partial class WordTokenizer
{
    /// <summary>Splits <paramref name="text"/> into tokens whose concatenation is <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens.</returns>
    public static IReadOnlyList<string> Split(string text) =>
        TokenPattern().Matches(text).Select(m => m.Value).ToArray();

    [GeneratedRegex(@"\s*\S+|\s+")]
    private static partial Regex TokenPattern();
}
