using System.Text;

namespace DeepLanguageNetworks;

/// <summary>
/// The backward model's meta-prompt, in the team's own wording: the current prompt, the batch items the network got
/// right and wrong (each wrong one with the metric's feedback, when it gives one), one of four rotating edit
/// instructions, and an open "improved instruction" the model continues; and the cleaning of what it writes back (the
/// rules are in <see cref="PromptProposer"/>'s remarks).
/// </summary>
/// <remarks>Every text shown is quoted line by line (<c>&gt; </c>), so a prompt or input containing headings or braces
/// stays data: nothing in it is read as a template or as the meta-prompt's own structure.</remarks>
internal static class MetaPrompt
{
    /// <summary>The marker that ends a quoted instruction in the meta-prompt.</summary>
    public const string EndMarker = "[END]";

    /// <summary>The heading of a wrong item's feedback (the metric's words on what is wrong), between its output and the correct one.</summary>
    public const string FeedbackHeading = "## What is wrong with the student output";

    private static readonly string[] EditInstructions =
    [
        "Make it clearer by adding a few words or one short sentence, and keep it concise.",
        "Add one or two short worked examples that show how to reach the correct output, and keep it concise.",
        "Make it shorter: remove words and sentences that do not help the student.",
        "Rewrite it completely, spelling out the details that remove any ambiguity, and keep it concise.",
    ];

    /// <summary>The stop sequences of a proposal: one paragraph, no echoed end marker or heading.</summary>
    public static IReadOnlyList<string> StopSequences { get; } = ["\n\n", EndMarker, "#"];

    /// <summary>The edit instruction used for proposal number <paramref name="index"/> (they rotate).</summary>
    /// <param name="index">0-based proposal index.</param>
    /// <returns>The instruction.</returns>
    public static string EditInstruction(int index) => EditInstructions[((index % EditInstructions.Length) + EditInstructions.Length) % EditInstructions.Length];

    /// <summary>Writes the meta-prompt for one proposal.</summary>
    /// <param name="currentPrompt">The prompt to improve (may be empty).</param>
    /// <param name="examples">Batch items, in the order to show them.</param>
    /// <param name="editInstruction">What kind of edit to ask for.</param>
    /// <returns>The meta-prompt; the model continues it with the new prompt.</returns>
    public static string Build(string currentPrompt, IReadOnlyList<ProposalExample> examples, string editInstruction)
    {
        ArgumentNullException.ThrowIfNull(currentPrompt);
        ArgumentNullException.ThrowIfNull(examples);
        var b = new StringBuilder();
        b.Append("A student model is given an instruction and an input, and writes an output. ");
        b.Append("On some of the inputs below it wrote the wrong output. ");
        b.Append("Your task is to write a better instruction, so that the student gets these inputs right.\n\n");
        if (currentPrompt.Trim().Length > 0)
        {
            b.Append("This is the instruction the student followed:\n\n## Instruction\n");
            Quote(b, currentPrompt);
            b.Append(EndMarker).Append("\n\n");
        }

        Section(b, "# Inputs the student got right\n\n", examples.Where(e => e.IsCorrect), showOutput: false);
        Section(b, "# Inputs the student got wrong\n\n", examples.Where(e => !e.IsCorrect), showOutput: true);
        b.Append("Write an improved instruction that makes the student produce the correct outputs. ").Append(editInstruction).Append("\n\n");
        b.Append("## Improved instruction\n> ");
        return b.ToString();
    }

    /// <summary>Cleans one raw proposal by the rules in the remarks.</summary>
    /// <param name="raw">The backward model's text.</param>
    /// <param name="maxCharacters">Longest result kept.</param>
    /// <param name="clipped">Whether the result was cut.</param>
    /// <param name="markersRemoved">Whether markup was removed.</param>
    /// <returns>The cleaned prompt, or an empty string when nothing is left.</returns>
    public static string Clean(string raw, int maxCharacters, out bool clipped, out bool markersRemoved)
    {
        ArgumentNullException.ThrowIfNull(raw);
        clipped = false;
        markersRemoved = false;
        var text = raw;
        var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        if (end >= 0)
        {
            text = text[..end];
            markersRemoved = true;
        }

        var lines = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var l = line.TrimEnd('\r');

            // Quote markers first (also nested ones, "> > "), so that a quoted heading ("> ## Instruction") is
            // recognised as a heading below.
            while (l.TrimStart().StartsWith('>'))
            {
                l = l.TrimStart()[1..].TrimStart(' ');
                markersRemoved = true;
            }

            if (l.TrimStart().StartsWith('#'))
            {
                markersRemoved = true;
                continue;
            }

            lines.Add(l);
        }

        text = string.Join('\n', lines).Trim();
        if (text.Length > maxCharacters)
        {
            var cut = text.LastIndexOfAny([' ', '\n', '\t'], maxCharacters);
            if (cut <= maxCharacters / 2)
            {
                // No word boundary in the second half: cut hard, but never between the two halves of a surrogate
                // pair, which would leave invalid UTF-16 that JSON writers and HTTP clients reject.
                cut = char.IsHighSurrogate(text[maxCharacters - 1]) ? maxCharacters - 1 : maxCharacters;
            }

            text = text[..cut].TrimEnd();
            clipped = true;
        }

        return text;
    }

    // A wrong item also shows what the student wrote and, when the metric gave some, its feedback.
    private static void Section(StringBuilder b, string heading, IEnumerable<ProposalExample> items, bool showOutput)
    {
        var first = true;
        foreach (var e in items)
        {
            if (first)
            {
                b.Append(heading);
                first = false;
            }

            b.Append("## Input\n");
            Quote(b, e.Input);
            if (showOutput)
            {
                b.Append("## Student output\n");
                Quote(b, e.Output);
                if (!string.IsNullOrWhiteSpace(e.Feedback))
                {
                    b.Append(FeedbackHeading).Append('\n');
                    Quote(b, e.Feedback.Trim());
                }
            }

            b.Append("## Correct output\n");
            Quote(b, e.Target);
            b.Append('\n');
        }
    }

    private static void Quote(StringBuilder b, string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        foreach (var line in lines)
        {
            b.Append("> ").Append(line).Append('\n');
        }
    }
}
