namespace DeepLanguageNetworks;

/// <summary>
/// The <c>Options:</c> block that ends a multiple-choice or classification input. Hidden layers may be shown the
/// input without it (the paper's <c>strip_options_for_hidden</c>, an option named <c>StripOptionsForHiddenLayers</c>
/// here), so that a first layer reasons about the problem rather than picking an option.
/// </summary>
internal static class OptionsBlock
{
    /// <summary>The line that opens the options block.</summary>
    public const string Header = "Options:";

    /// <summary>
    /// Cuts <paramref name="input"/> at its first line whose trimmed text is <see cref="Header"/> and returns what comes
    /// before, with trailing white space removed. An input without such a line is returned unchanged.
    /// </summary>
    /// <param name="input">A formatted input.</param>
    /// <returns>The input without its options block.</returns>
    public static string Strip(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var headerStart = FindHeaderLine(input);
        return headerStart < 0 ? input : input[..headerStart].TrimEnd();
    }

    /// <summary>Whether <paramref name="input"/> has a line whose trimmed text is <see cref="Header"/>.</summary>
    /// <param name="input">A formatted input.</param>
    /// <returns><see langword="true"/> when an options block is present.</returns>
    public static bool HasOptions(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FindHeaderLine(input) >= 0;
    }

    /// <summary>Returns the index where the first header line starts, or -1.</summary>
    internal static int FindHeaderLine(string input)
    {
        var lineStart = 0;
        while (lineStart <= input.Length)
        {
            var lineEnd = input.IndexOf('\n', lineStart);
            var end = lineEnd < 0 ? input.Length : lineEnd;
            if (input.AsSpan(lineStart, end - lineStart).Trim().SequenceEqual(Header))
            {
                return lineStart;
            }

            if (lineEnd < 0)
            {
                break;
            }

            lineStart = lineEnd + 1;
        }

        return -1;
    }
}
