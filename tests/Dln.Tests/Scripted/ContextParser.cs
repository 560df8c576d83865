namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// Reads the texts the trainer sends back into their parts, the way the scripted world needs them: which template
/// produced the text, and with which prompt, input and hint. The markers are those of <see cref="LayerTemplates"/>,
/// the trainer's hint template and <see cref="MetaPrompt.Build"/>; a change of wording there makes the
/// world refuse the call loudly instead of answering at random.
/// </summary>
internal static class ContextParser
{
    public const string AnswerCue = "Answer:";
    public const string ReasoningTrigger = "Let us reason about it one step at a time.";

    /// <summary>The cue of a second hidden template (<see cref="TwoFactsTask.WholeViewTemplate"/>): the layer looks at the input as a whole instead of step by step.</summary>
    public const string WholeViewTrigger = "Let us look at it as a whole.";
    public const string HintSeparator = "\n\nExpected outcome:\n";
    public const string ResidualHeader = "\nMy reasoning about it:\n";
    public const string MetaPromptOpening = "A student model is given an instruction and an input";
    public const string MetaPromptSlot = "## Improved instruction\n> ";

    private const string BlankLine = "\n\n";

    /// <summary>The output template <c>{prompt}⏎⏎{input}⏎⏎Answer:</c>, with or without the newline class scoring appends.</summary>
    public static bool TryParseOutput(string context, out OutputCall call)
    {
        call = null!;
        var body = context.EndsWith('\n') ? context[..^1] : context;
        if (!body.EndsWith(AnswerCue, StringComparison.Ordinal))
        {
            return false;
        }

        body = body[..^AnswerCue.Length];
        if (!body.EndsWith(BlankLine, StringComparison.Ordinal))
        {
            return false;
        }

        body = body[..^BlankLine.Length];
        // Prompts are one paragraph (proposals stop at a blank line) and inputs have their blank lines collapsed, so
        // the last blank line separates the prompt from the input.
        var split = body.LastIndexOf(BlankLine, StringComparison.Ordinal);
        call = split < 0 ? new OutputCall(string.Empty, body) : new OutputCall(body[..split], body[(split + BlankLine.Length)..]);
        return true;
    }

    /// <summary>The hidden template <c>{input}⏎⏎{prompt}␠Let us reason…</c> (or its whole-view twin); the input may carry the trainer's hint.</summary>
    public static bool TryParseHidden(string context, out HiddenCall call)
    {
        call = null!;
        var wholeView = context.EndsWith(WholeViewTrigger, StringComparison.Ordinal);
        if (!wholeView && !context.EndsWith(ReasoningTrigger, StringComparison.Ordinal))
        {
            return false;
        }

        var body = context[..^(wholeView ? WholeViewTrigger : ReasoningTrigger).Length];
        body = body.EndsWith(' ') ? body[..^1] : body;
        var split = body.LastIndexOf(BlankLine, StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }

        var prompt = body[(split + BlankLine.Length)..];
        var input = body[..split];
        string? hint = null;
        var hintAt = input.IndexOf(HintSeparator, StringComparison.Ordinal);
        if (hintAt >= 0)
        {
            hint = input[(hintAt + HintSeparator.Length)..];
            input = input[..hintAt];
        }

        call = new HiddenCall(prompt, input, hint, wholeView);
        return true;
    }

    /// <summary>The backward meta-prompt: current instruction, right and wrong items (with feedback), edit instruction.</summary>
    public static bool TryParseMetaPrompt(string text, out MetaPromptCall call)
    {
        call = null!;
        if (!text.StartsWith(MetaPromptOpening, StringComparison.Ordinal) || !text.EndsWith(MetaPromptSlot, StringComparison.Ordinal))
        {
            return false;
        }

        string? instruction = null;
        var examples = new List<ShownExample>();
        var edit = string.Empty;
        var inRightSection = false;
        string? field = null;
        var quoted = new List<string>();
        string? input = null, student = null, feedback = null;

        void CloseField()
        {
            var value = string.Join('\n', quoted);
            quoted.Clear();
            switch (field)
            {
                case "instruction":
                    instruction = value;
                    break;
                case "input":
                    input = value;
                    break;
                case "student":
                    student = value;
                    break;
                case "feedback":
                    feedback = value;
                    break;
                case "correct":
                    examples.Add(new ShownExample(input ?? string.Empty, student, value, inRightSection, feedback));
                    input = null;
                    student = null;
                    feedback = null;
                    break;
            }

            field = null;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("> ", StringComparison.Ordinal) && field is not null)
            {
                quoted.Add(line[2..]);
                continue;
            }

            CloseField();
            switch (line)
            {
                case "## Instruction":
                    field = "instruction";
                    break;
                case "# Inputs the student got right":
                    inRightSection = true;
                    break;
                case "# Inputs the student got wrong":
                    inRightSection = false;
                    break;
                case "## Input":
                    field = "input";
                    break;
                case "## Student output":
                    field = "student";
                    break;
                case "## Correct output":
                    field = "correct";
                    break;
                case MetaPrompt.FeedbackHeading:
                    field = "feedback";
                    break;
                default:
                    const string ask = "Write an improved instruction that makes the student produce the correct outputs. ";
                    if (line.StartsWith(ask, StringComparison.Ordinal))
                    {
                        edit = line[ask.Length..];
                    }

                    break;
            }
        }

        call = new MetaPromptCall(instruction, examples, edit);
        return true;
    }
}
