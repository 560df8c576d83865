using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.Docs.Tests;

/// <summary>A fenced code block of a Markdown file: where it is, in which language, and its text.</summary>
/// <param name="File">The file, relative to the repository root (for messages).</param>
/// <param name="Index">1-based number of the block among the file's blocks of the same language.</param>
/// <param name="Line">1-based line of the block's first code line in the file.</param>
/// <param name="Language">The fence's info string, for example <c>csharp</c>.</param>
/// <param name="Code">The code between the fences.</param>
public sealed partial record MarkdownCodeBlock(string File, int Index, int Line, string Language, string Code)
{
    /// <summary>The fenced blocks of <paramref name="markdown"/> in order (fences of three or more backticks).</summary>
    public static IReadOnlyList<MarkdownCodeBlock> Parse(string file, string markdown)
    {
        var blocks = new List<MarkdownCodeBlock>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var fence = open.Groups["fence"].Value;
            var language = open.Groups["info"].Value.Trim();
            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != fence)
            {
                end++;
            }

            counts[language] = counts.GetValueOrDefault(language) + 1;
            blocks.Add(new MarkdownCodeBlock(file, counts[language], start + 1, language, string.Join('\n', lines[start..Math.Min(end, lines.Length)])));
            i = end;
        }

        return blocks;
    }

    /// <inheritdoc />
    public override string ToString() => $"{File}, {Language} block {Index} (line {Line})";

    [GeneratedRegex(@"^(?<fence>```+)(?<info>[^`]*)$")]
    private static partial Regex Fence();
}
