using System.Text;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Finds which of the prompt tokens a server echoed belong to the continuation, given the context and continuation
/// texts. Works on the token texts rather than the server's character offsets: vLLM computes <c>text_offset</c> as the
/// running sum of decoded token lengths (so it carries nothing the tokens do not), counts a decoded BOS token such as
/// <c>&lt;s&gt;</c>, and counts in Python code points rather than UTF-16 units.
/// </summary>
internal static class ContinuationAligner
{
    /// <summary>
    /// Returns the index of the first continuation token among <paramref name="promptTokens"/> (the tokens of
    /// context + continuation, possibly preceded by special tokens).
    /// </summary>
    /// <remarks>
    /// <para>Exact alignment when the token texts spell context + continuation (after an optional prefix such as a BOS
    /// token): the first continuation token is the first one that ends after the context. A token that straddles the
    /// boundary (the tokenizer merged the context's last characters with the continuation's first) counts as a
    /// continuation token.</para>
    /// <para>Otherwise (tokenizers whose single-token decoding drops leading spaces, byte-fallback tokens), alignment
    /// counts the non-white-space characters of the continuation back from the end, which every decoding preserves,
    /// then takes in white-space-only tokens that the continuation's leading white space accounts for.</para>
    /// </remarks>
    /// <param name="promptTokens">The prompt's tokens as text, in order.</param>
    /// <param name="context">The context.</param>
    /// <param name="continuation">The continuation, appended to the context verbatim.</param>
    /// <returns>The index of the first continuation token, or -1 when the tokens cannot be aligned with the texts.</returns>
    public static int FindFirstContinuationToken(IReadOnlyList<string> promptTokens, string context, string continuation)
    {
        ArgumentNullException.ThrowIfNull(promptTokens);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (promptTokens.Count == 0)
        {
            return -1;
        }

        var exact = AlignExactly(promptTokens, context, continuation);
        return exact >= 0 ? exact : AlignOnVisibleCharacters(promptTokens, continuation);
    }

    /// <summary>Turns byte-level BPE and SentencePiece markers that some servers leave in token texts into the characters they stand for.</summary>
    /// <param name="token">A token as the server sent it.</param>
    /// <returns>The token's text.</returns>
    public static string NormalizeToken(string token)
    {
        if (token.AsSpan().IndexOfAny("ĠĊĉ▁") < 0)
        {
            return token;
        }

        return token.Replace('Ġ', ' ').Replace('▁', ' ').Replace('Ċ', '\n').Replace('ĉ', '\t');
    }

    private static int AlignExactly(IReadOnlyList<string> tokens, string context, string continuation)
    {
        var joined = string.Concat(tokens);
        var full = context + continuation;

        // The tokens may start with text the prompt does not contain (a decoded BOS token); they must end with the prompt.
        if (!joined.EndsWith(full, StringComparison.Ordinal))
        {
            return -1;
        }

        var boundary = joined.Length - continuation.Length;
        var end = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            end += tokens[i].Length;
            if (end > boundary)
            {
                return i;
            }
        }

        // An empty continuation has no tokens.
        return tokens.Count;
    }

    private static int AlignOnVisibleCharacters(IReadOnlyList<string> tokens, string continuation)
    {
        var visibleNeeded = CountVisible(continuation);
        var index = tokens.Count;
        var visibleSeen = 0;
        while (index > 0 && visibleSeen < visibleNeeded)
        {
            index--;
            visibleSeen += CountVisible(tokens[index]);
        }

        // Fewer visible characters than the continuation: the tokens do not spell it. More: the first token taken also
        // holds the context's last characters (a token straddling the boundary), and it counts as a continuation token.
        if (visibleSeen < visibleNeeded)
        {
            return -1;
        }

        var leadingWhiteSpace = continuation.Length - continuation.AsSpan().TrimStart().Length;
        while (index > 0 && leadingWhiteSpace > 0 && tokens[index - 1].Length > 0 && string.IsNullOrWhiteSpace(tokens[index - 1]) &&
            tokens[index - 1].Length <= leadingWhiteSpace)
        {
            index--;
            leadingWhiteSpace -= tokens[index].Length;
        }

        return index;
    }

    private static int CountVisible(string text)
    {
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune))
            {
                count++;
            }
        }

        return count;
    }
}
