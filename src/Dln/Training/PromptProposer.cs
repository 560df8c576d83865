namespace DeepLanguageNetworks;

/// <summary>
/// Asks the backward model for new prompts: it sends one meta-prompt (<see cref="MetaPrompt"/>) per proposal, each with
/// the examples in its own random order, and cleans what comes back.
/// </summary>
/// <remarks>
/// <para>Rules applied to each raw proposal (<see cref="MetaPrompt.Clean"/>, then the caller's merge), in order (so odd
/// model outputs never crash a run):</para>
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
            requests[i] = new GenerationRequest(MetaPrompt.Build(startingPrompts[i % startingPrompts.Count], shown, MetaPrompt.EditInstruction(i)))
            {
                Temperature = _temperature,
                MaxTokens = _maxTokens,
                StopSequences = MetaPrompt.StopSequences,
                Seed = random.NextInt64(),
                SampleIndex = i,
                Purpose = purpose,
            };
        }

        // Failures propagate: retrying transient faults is the job of the retry decorator, and the trainer decides
        // what a failed iteration costs (its error budget). A meta-prompt too long for the context is not a failure.
        return [.. requests.Select((r, i) => CallAsync(r, shownPerRequest[i], startingPrompts[i % startingPrompts.Count], MetaPrompt.EditInstruction(i), cancellationToken))];
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

        var text = MetaPrompt.Clean(response.Text, _maxPromptCharacters, out var clipped, out var markers);
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
            request = request with { Prompt = MetaPrompt.Build(startingPrompt, shown, editInstruction) };
            _observer?.CallsAdded(1);
        }
    }
}
