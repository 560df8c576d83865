using System.Text;

namespace DeepLanguageNetworks;

/// <summary>
/// Asks the backward model for new prompts: it shows the current prompt, the batch items the network got right and
/// wrong (each wrong one with the metric's feedback, when it gives one), and one of four rotating edit instructions,
/// and lets the model write the improved prompt.
/// </summary>
/// <remarks>
/// <para>Rules applied to each raw proposal, in order (so odd model outputs never crash a run):</para>
/// <list type="number">
/// <item>Markup of the meta-prompt echoed back is removed: the end marker <c>[END]</c> and anything after it, leading
/// quote markers (<c>&gt; </c>, also nested), then heading lines starting with <c>#</c> (also quoted ones, such as
/// <c>&gt; ## Instruction</c>). Counted in <see cref="ProposalStatistics.MarkersRemoved"/>.</item>
/// <item>Whitespace is trimmed; an empty result (an empty, whitespace-only or markup-only proposal) is dropped and
/// counted in <see cref="ProposalStatistics.Empty"/>.</item>
/// <item>A result longer than the character limit (<see cref="VariationalTrainerOptions.MaxPromptCharacters"/>) is cut
/// at the last word boundary before it, or exactly at the limit when there is none in its second half (one character
/// earlier rather than splitting a surrogate pair). Counted in <see cref="ProposalStatistics.Clipped"/>.</item>
/// <item>A result equal to a prompt already among the candidates (the current prompt, a remembered one or an earlier
/// proposal) is not scored twice; counted in <see cref="ProposalStatistics.Duplicates"/>.</item>
/// </list>
/// <para>A meta-prompt that does not fit the backward model's context window (a <see cref="LanguageModelException"/> of
/// kind <see cref="LanguageModelErrorKind.ContextLengthExceeded"/>) is sent again without its last shown example, one
/// example at a time (<see cref="ProposalStatistics.ShownExamplesDropped"/>); one that does not fit even with a single
/// example is dropped (<see cref="ProposalStatistics.ContextOverflows"/>). The other proposals are unaffected.</para>
/// </remarks>
internal sealed class PromptProposer
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

    private readonly ILanguageModel _backwardModel;
    private readonly double _temperature;
    private readonly int _maxTokens;
    private readonly int _maxPromptCharacters;
    private readonly int _maxExamples;
    private readonly TrainingObserver? _observer;

    /// <summary>Creates a proposer.</summary>
    /// <param name="backwardModel">The model that writes proposals.</param>
    /// <param name="temperature">Sampling temperature (0.7 in the paper).</param>
    /// <param name="maxTokens">Maximum tokens of a proposal.</param>
    /// <param name="maxPromptCharacters">Longest proposal kept, in characters.</param>
    /// <param name="maxExamples">Most batch items shown in one meta-prompt.</param>
    /// <param name="observer">Told of a meta-prompt sent again, shorter (a request its phase did not plan), or null.</param>
    public PromptProposer(ILanguageModel backwardModel, double temperature = 0.7, int maxTokens = 512, int maxPromptCharacters = 4000, int maxExamples = 20, TrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(backwardModel);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPromptCharacters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExamples, 1);
        _backwardModel = backwardModel;
        _temperature = temperature;
        _maxTokens = maxTokens;
        _maxPromptCharacters = maxPromptCharacters;
        _maxExamples = maxExamples;
        _observer = observer;
    }

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
    public static string BuildMetaPrompt(string currentPrompt, IReadOnlyList<ProposalExample> examples, string editInstruction)
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

        var right = examples.Where(e => e.IsCorrect).ToArray();
        var wrong = examples.Where(e => !e.IsCorrect).ToArray();
        if (right.Length > 0)
        {
            b.Append("# Inputs the student got right\n\n");
            foreach (var e in right)
            {
                b.Append("## Input\n");
                Quote(b, e.Input);
                b.Append("## Correct output\n");
                Quote(b, e.Target);
                b.Append('\n');
            }
        }

        if (wrong.Length > 0)
        {
            b.Append("# Inputs the student got wrong\n\n");
            foreach (var e in wrong)
            {
                b.Append("## Input\n");
                Quote(b, e.Input);
                b.Append("## Student output\n");
                Quote(b, e.Output);
                if (!string.IsNullOrWhiteSpace(e.Feedback))
                {
                    b.Append(FeedbackHeading).Append('\n');
                    Quote(b, e.Feedback.Trim());
                }

                b.Append("## Correct output\n");
                Quote(b, e.Target);
                b.Append('\n');
            }
        }

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

    /// <summary>
    /// Asks for <paramref name="count"/> proposals. Proposal i improves <c>startingPrompts[i mod n]</c> (the current
    /// prompt first, then memory prompts) with edit instruction i mod 4, and shows the examples in its own random order.
    /// </summary>
    /// <param name="startingPrompts">The current prompt followed by remembered good prompts.</param>
    /// <param name="examples">The batch items.</param>
    /// <param name="count">How many proposals to ask for.</param>
    /// <param name="random">Source of the example orders and sampling seeds.</param>
    /// <param name="purpose">Accounting purpose of the calls.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>Cleaned, non-empty proposals in request order (duplicates kept; the caller merges them) and statistics.</returns>
    public async Task<(IReadOnlyList<string> Proposals, ProposalStatistics Statistics)> ProposeAsync(
        IReadOnlyList<string> startingPrompts, IReadOnlyList<ProposalExample> examples, int count, Random random, CallPurpose purpose, CancellationToken cancellationToken = default)
    {
        var calls = Start(startingPrompts, examples, count, random, purpose, cancellationToken);
        var cleaned = await Task.WhenAll(calls).ConfigureAwait(false);
        return (cleaned.Where(c => c.Text.Length > 0).Select(c => c.Text).ToArray(), Statistics(cleaned));
    }

    /// <summary>
    /// Draws every random choice of <paramref name="count"/> proposals (see <see cref="ProposeAsync"/>), then starts
    /// their calls and returns at once: one task per request, in request order, each with its cleaned text (empty when
    /// nothing was left), so that a caller can score a proposal as soon as it arrives.
    /// </summary>
    internal Task<CleanedProposal>[] Start(
        IReadOnlyList<string> startingPrompts, IReadOnlyList<ProposalExample> examples, int count, Random random, CallPurpose purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(startingPrompts);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(random);
        if (startingPrompts.Count == 0)
        {
            throw new ArgumentException("At least the current prompt is needed.", nameof(startingPrompts));
        }

        if (count <= 0)
        {
            return [];
        }

        // Draw every random choice before the calls start so that results do not depend on completion order.
        var requests = new GenerationRequest[count];
        var shownPerRequest = new ProposalExample[count][];
        for (var i = 0; i < count; i++)
        {
            var shown = examples.ToArray();
            random.Shuffle(shown);
            if (shown.Length > _maxExamples)
            {
                shown = shown[.._maxExamples];
            }

            shownPerRequest[i] = shown;
            requests[i] = new GenerationRequest(BuildMetaPrompt(startingPrompts[i % startingPrompts.Count], shown, EditInstruction(i)))
            {
                Temperature = _temperature,
                MaxTokens = _maxTokens,
                StopSequences = StopSequences,
                Seed = random.NextInt64(),
                SampleIndex = i,
                Purpose = purpose,
            };
        }

        // Failures propagate: retrying transient faults is the job of the retry decorator, and the trainer decides
        // what a failed iteration costs (its error budget). A meta-prompt too long for the context is not a failure.
        return [.. requests.Select((r, i) => CallAsync(r, shownPerRequest[i], startingPrompts[i % startingPrompts.Count], EditInstruction(i), cancellationToken))];
    }

    /// <summary>The statistics of a set of cleaned proposals (duplicates are counted by the caller, who merges them).</summary>
    internal static ProposalStatistics Statistics(IReadOnlyCollection<CleanedProposal> cleaned) =>
        new(cleaned.Count, cleaned.Count(c => c.Text.Length == 0 && !c.Overflowed), cleaned.Count(c => c.Clipped), 0, cleaned.Count(c => c.MarkersRemoved))
        {
            ShownExamplesDropped = cleaned.Sum(c => c.ShownExamplesDropped),
            ContextOverflows = cleaned.Count(c => c.Overflowed),
        };

    private async Task<CleanedProposal> CallAsync(GenerationRequest request, ProposalExample[] shown, string startingPrompt, string editInstruction, CancellationToken cancellationToken)
    {
        var (response, shownDropped) = await GenerateFittingAsync(request, shown, startingPrompt, editInstruction, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return new CleanedProposal(string.Empty, Clipped: false, MarkersRemoved: false) { ShownExamplesDropped = shownDropped, Overflowed = true };
        }

        var text = Clean(response.Text, _maxPromptCharacters, out var clipped, out var markers);
        return new CleanedProposal(text, clipped, markers) { ShownExamplesDropped = shownDropped };
    }

    /// <summary>
    /// Sends one meta-prompt; while it does not fit the context window and more than one example is shown, sends it
    /// again without its last shown example. Returns null when it does not fit even with one.
    /// </summary>
    private async Task<(GenerationResponse? Response, int ShownDropped)> GenerateFittingAsync(
        GenerationRequest request, ProposalExample[] shown, string startingPrompt, string editInstruction, CancellationToken cancellationToken)
    {
        for (var dropped = 0; ; dropped++)
        {
            var attempt = await ContextOverflow.TryAsync(() => _backwardModel.GenerateAsync(request, cancellationToken)).ConfigureAwait(false);
            if (attempt.Fits)
            {
                return (attempt.Value, dropped);
            }

            if (shown.Length <= 1)
            {
                return (null, dropped);
            }

            shown = shown[..^1];
            request = request with { Prompt = BuildMetaPrompt(startingPrompt, shown, editInstruction) };
            _observer?.CallsAdded(1);
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
