namespace DeepLanguageNetworks;

/// <summary>
/// One layer of a deep language network: a frozen language model called through a template that combines the layer's
/// learnable natural-language <see cref="Prompt"/> with its input. The prompt is the layer's parameter; trainers change it.
/// </summary>
/// <remarks>Thread-safe for concurrent calls as long as <see cref="Prompt"/> and <see cref="Demonstrations"/> are not changed meanwhile.</remarks>
public sealed class LanguageLayer
{
    private const int Unresolved = -1;

    private string _prompt;
    private IReadOnlyList<Example> _demonstrations = [];
    private int _effectiveClassScoring = Unresolved;

    /// <summary>Creates a layer.</summary>
    /// <param name="model">The frozen model the layer calls.</param>
    /// <param name="template">The template; must contain <c>{prompt}</c> and <c>{input}</c>.</param>
    /// <param name="prompt">The initial prompt (may be empty).</param>
    /// <param name="outputSpace">Free text or classes.</param>
    /// <param name="options">Decoding and scoring settings; defaults are the paper's.</param>
    /// <exception cref="ArgumentException">The template lacks <c>{prompt}</c> or <c>{input}</c>, or uses another placeholder.</exception>
    public LanguageLayer(ILanguageModel model, PromptTemplate template, string prompt, OutputSpace outputSpace, LanguageLayerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(outputSpace);
        var missing = new[] { LayerTemplates.PromptPlaceholder, LayerTemplates.InputPlaceholder }.Where(p => !template.Placeholders.Contains(p)).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException($"A layer template must contain {{prompt}} and {{input}}; missing: {string.Join(", ", missing.Select(m => "{" + m + "}"))}.", nameof(template));
        }

        // The layer fills only {prompt} and {input}; any other placeholder would make every call fail, so refuse it now.
        var unfillable = template.Placeholders.Where(p => p is not LayerTemplates.PromptPlaceholder and not LayerTemplates.InputPlaceholder).ToArray();
        if (unfillable.Length > 0)
        {
            throw new ArgumentException($"A layer template may only use {{prompt}} and {{input}}; it also uses {string.Join(", ", unfillable.Select(m => "{" + m + "}"))}.", nameof(template));
        }

        Model = model;
        Template = template;
        _prompt = prompt;
        OutputSpace = outputSpace;
        Options = options ?? new LanguageLayerOptions();
    }

    /// <summary>The frozen model the layer calls.</summary>
    public ILanguageModel Model { get; }

    /// <summary>The template that combines prompt and input.</summary>
    public PromptTemplate Template { get; }

    /// <summary>The learnable prompt. It is data: braces in it are inserted literally, never expanded.</summary>
    public string Prompt
    {
        get => _prompt;
        set => _prompt = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>What the layer outputs.</summary>
    public OutputSpace OutputSpace { get; }

    /// <summary>Decoding and scoring settings.</summary>
    public LanguageLayerOptions Options { get; }

    /// <summary>
    /// The class-scoring method this layer uses: <see cref="LanguageLayerOptions.ClassScoring"/>, with
    /// <see cref="ClassScoring.Auto"/> resolved for this layer's model and spellings (never <see cref="ClassScoring.Auto"/>).
    /// </summary>
    /// <remarks>
    /// Auto is decided on first use and kept: it asks the model for an <see cref="ILanguageModelTokenizer"/> and counts
    /// each spelling's tokens after the template's answer cue and newline (the rendered template with an empty prompt
    /// and input). Without a tokenizer it keeps <see cref="ClassScoring.NextToken"/>, so backends that cannot count
    /// tokens behave as before.
    /// </remarks>
    public ClassScoring EffectiveClassScoring
    {
        get
        {
            var resolved = Volatile.Read(ref _effectiveClassScoring);
            if (resolved == Unresolved)
            {
                resolved = (int)ResolveClassScoring();
                Volatile.Write(ref _effectiveClassScoring, resolved);
            }

            return (ClassScoring)resolved;
        }
    }

    /// <summary>
    /// Whether a classification layer answers by generating text and matching it to the classes even when its backend
    /// could score the classes. The trainer sets it on its own copy of the output layer under
    /// <see cref="OutputScoring.Accuracy"/>, so that accuracy training asks the backend for no log-probabilities.
    /// </summary>
    internal bool AnswersByGeneration { get; set; }

    /// <summary>Whether <see cref="ForwardAsync"/> scores the classes (rather than generating an answer).</summary>
    internal bool ForwardScoresClasses => OutputSpace.IsClassification && !AnswersByGeneration && Model.Capabilities.Supports(ClassScoringOperation);

    /// <summary>The requests one class scoring makes: one next-token call, or one continuation call per spelling.</summary>
    internal int ClassScoringCalls => EffectiveClassScoring == ClassScoring.Continuation ? OutputSpace.Classes.Sum(c => c.Verbalizers.Count) : 1;

    /// <summary>The requests one <see cref="ForwardAsync"/> makes.</summary>
    internal int ForwardCalls => ForwardScoresClasses ? ClassScoringCalls : 1;

    /// <summary>The backend operation class scoring needs under <see cref="EffectiveClassScoring"/>.</summary>
    internal LanguageModelOperation ClassScoringOperation => EffectiveClassScoring == ClassScoring.Continuation
        ? LanguageModelOperation.ContinuationLogProbabilities
        : LanguageModelOperation.NextTokenLogProbabilities;

    /// <summary>
    /// In-context examples placed before the input (few-shot prompting). Each is rendered with the layer's template,
    /// an empty prompt and its target on the answer line; examples are separated by two blank lines.
    /// </summary>
    public IReadOnlyList<Example> Demonstrations
    {
        get => _demonstrations;
        set => _demonstrations = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Renders the text sent to the model for <paramref name="input"/>.</summary>
    /// <param name="input">The layer's input.</param>
    /// <param name="prompt">A prompt to use instead of <see cref="Prompt"/> (to score a candidate).</param>
    /// <returns>The rendered context.</returns>
    public string Render(string input, string? prompt = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var demonstrations = _demonstrations;
        if (demonstrations.Count > 0)
        {
            var shots = demonstrations.Select(d => Template.Render(Values(string.Empty, d.Input)) + "\n" + d.Target);
            input = string.Join("\n\n\n", shots) + "\n\n\n" + input;
        }

        return Template.Render(Values(prompt ?? _prompt, input));
    }

    /// <summary>The rendered context without the demonstrations: the part of every request of the layer that does not vary with few-shot draws.</summary>
    /// <param name="input">The layer's input.</param>
    /// <param name="prompt">A prompt to use instead of <see cref="Prompt"/>.</param>
    /// <returns>The rendered template.</returns>
    internal string RenderWithoutDemonstrations(string input, string? prompt = null) => Template.Render(Values(prompt ?? _prompt, input));

    /// <summary>Runs the layer on one input.</summary>
    /// <param name="input">The layer's input.</param>
    /// <param name="prompt">A prompt to use instead of <see cref="Prompt"/>.</param>
    /// <param name="purpose">Why the call is made (for accounting).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output: generated text, or for a classification layer the predicted class (by class scoring, see
    /// <see cref="EffectiveClassScoring"/>, when the backend has the log-probabilities it needs, else by matching a
    /// short generation to the classes).</returns>
    public async Task<LayerOutput> ForwardAsync(string input, string? prompt = null, CallPurpose purpose = default, CancellationToken cancellationToken = default)
    {
        if (ForwardScoresClasses)
        {
            var (distribution, usage) = await ScoreClassesWithUsageAsync(input, prompt, purpose, cancellationToken).ConfigureAwait(false);
            return new LayerOutput(distribution.Predicted.Prototype, usage) { Distribution = distribution, PredictedClass = distribution.Predicted };
        }

        var response = await Model.GenerateAsync(
            new GenerationRequest(Render(input, prompt))
            {
                Temperature = Options.Temperature,
                MaxTokens = OutputSpace.MaxTokens,
                StopSequences = Options.StopSequences,
                Purpose = purpose,
            },
            cancellationToken).ConfigureAwait(false);
        var text = PostProcess(response.Text);
        if (OutputSpace.IsClassification)
        {
            var predicted = OutputSpace.FindClass(text);
            return new LayerOutput(predicted?.Prototype ?? text, response.Usage) { PredictedClass = predicted, FinishReason = response.FinishReason };
        }

        return new LayerOutput(text, response.Usage) { FinishReason = response.FinishReason };
    }

    /// <summary>
    /// The distribution over the layer's classes for <paramref name="input"/> (class-constrained scoring), by
    /// <see cref="EffectiveClassScoring"/>: one next-token call, or one continuation call per spelling sent together.
    /// </summary>
    /// <param name="input">The layer's input.</param>
    /// <param name="prompt">A prompt to use instead of <see cref="Prompt"/>.</param>
    /// <param name="purpose">Why the call is made (for accounting).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The class distribution.</returns>
    /// <exception cref="InvalidOperationException">The layer outputs free text.</exception>
    /// <exception cref="NotSupportedException">The backend lacks the log-probabilities the scoring method needs.</exception>
    public async Task<ClassDistribution> ScoreClassesAsync(string input, string? prompt = null, CallPurpose purpose = default, CancellationToken cancellationToken = default) =>
        (await ScoreClassesWithUsageAsync(input, prompt, purpose, cancellationToken).ConfigureAwait(false)).Distribution;

    /// <summary>
    /// Scores <paramref name="continuation"/> as this layer's output for <paramref name="input"/>: teacher-forced
    /// log-probabilities of a newline followed by the continuation after the rendered context.
    /// </summary>
    /// <param name="input">The layer's input.</param>
    /// <param name="continuation">The output text to score (a hidden text or a free-text target).</param>
    /// <param name="prompt">A prompt to use instead of <see cref="Prompt"/>.</param>
    /// <param name="purpose">Why the call is made (for accounting).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The score (mean per-token log-probability after the burn-in, and the sum).</returns>
    /// <exception cref="NotSupportedException">The backend cannot score a given text.</exception>
    public async Task<ContinuationScore> ScoreContinuationAsync(string input, string continuation, string? prompt = null, CallPurpose purpose = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Model.Capabilities.Require(LanguageModelOperation.ContinuationLogProbabilities, Model.Metadata.ToString());
        var response = await Model.ScoreContinuationAsync(
            new ContinuationRequest(Render(input, prompt), "\n" + continuation) { Purpose = purpose },
            cancellationToken).ConfigureAwait(false);
        return ContinuationScorer.Score(response.Tokens, Options.ContinuationBurnInRatio);
    }

    /// <summary>Applies the layer's text post-processing (blank-line collapsing, trimming) to a generated text.</summary>
    /// <param name="text">Generated text.</param>
    /// <returns>The cleaned text.</returns>
    public string PostProcess(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Options.CollapseBlankLines)
        {
            while (text.Contains("\n\n", StringComparison.Ordinal))
            {
                text = text.Replace("\n\n", "\n", StringComparison.Ordinal);
            }
        }

        return text.Trim();
    }

    internal async Task<(ClassDistribution Distribution, LanguageModelUsage Usage)> ScoreClassesWithUsageAsync(
        string input, string? prompt, CallPurpose purpose, CancellationToken cancellationToken)
    {
        if (!OutputSpace.IsClassification)
        {
            throw new InvalidOperationException("Class scoring needs a layer whose output space has classes; this layer outputs free text.");
        }

        var capabilities = Model.Capabilities;
        capabilities.Require(ClassScoringOperation, Model.Metadata.ToString());
        if (EffectiveClassScoring == ClassScoring.Continuation)
        {
            return await ScoreSpellingsAsync(Render(input, prompt) + "\n", purpose, cancellationToken).ConfigureAwait(false);
        }

        var topK = Math.Min(Options.TopLogProbabilities, capabilities.MaxTopLogProbabilities > 0 ? capabilities.MaxTopLogProbabilities : Options.TopLogProbabilities);
        var response = await Model.GetNextTokenLogProbabilitiesAsync(
            new NextTokenRequest(Render(input, prompt) + "\n", topK) { Purpose = purpose },
            cancellationToken).ConfigureAwait(false);
        return (ClassScorer.Score(response.TopTokens, OutputSpace.Classes, Options.MatchVerbalizerPrefixes), response.Usage);
    }

    private async Task<(ClassDistribution Distribution, LanguageModelUsage Usage)> ScoreSpellingsAsync(string context, CallPurpose purpose, CancellationToken cancellationToken)
    {
        // Every request is started before any is awaited, so a batching backend receives them together and computes
        // the shared context once.
        var classes = OutputSpace.Classes;
        var calls = classes
            .Select(c => c.Verbalizers
                .Select(v => Model.ScoreContinuationAsync(new ContinuationRequest(context, v) { Purpose = purpose }, cancellationToken))
                .ToArray())
            .ToArray();
        await Task.WhenAll(calls.SelectMany(c => c)).ConfigureAwait(false);

        var usage = LanguageModelUsage.Zero;
        var logProbabilities = new IReadOnlyList<double>[calls.Length];
        for (var c = 0; c < calls.Length; c++)
        {
            var spellings = new double[calls[c].Length];
            for (var s = 0; s < spellings.Length; s++)
            {
                var response = await calls[c][s].ConfigureAwait(false);
                usage += response.Usage;

                // The sum, not the mean: the exact log-probability of the spelling, so spellings' probabilities add up.
                spellings[s] = response.Sum;
            }

            logProbabilities[c] = spellings;
        }

        return (ClassScorer.ScoreSpellings(classes, logProbabilities), usage);
    }

    private ClassScoring ResolveClassScoring()
    {
        if (Options.ClassScoring != ClassScoring.Auto)
        {
            return Options.ClassScoring;
        }

        var capabilities = Model.Capabilities;
        if (!OutputSpace.IsClassification || !capabilities.ContinuationLogProbabilities)
        {
            return ClassScoring.NextToken;
        }

        if (!capabilities.NextTokenLogProbabilities)
        {
            return ClassScoring.Continuation;
        }

        if (Model.GetService<ILanguageModelTokenizer>() is not { } tokenizer)
        {
            return ClassScoring.NextToken;
        }

        // Counted after the template's answer cue: where a spelling starts decides how it is tokenized (SentencePiece
        // writes a word at the start of a text with a leading-space marker, after a newline without).
        var cue = Template.Render(Values(string.Empty, string.Empty)) + "\n";
        var cueTokens = tokenizer.CountTokens(cue);
        var multiToken = OutputSpace.Classes.SelectMany(c => c.Verbalizers).Any(v => tokenizer.CountTokens(cue + v) - cueTokens != 1);
        return multiToken ? ClassScoring.Continuation : ClassScoring.NextToken;
    }

    private static Dictionary<string, string> Values(string prompt, string input) => new(StringComparer.Ordinal)
    {
        [LayerTemplates.PromptPlaceholder] = prompt,
        [LayerTemplates.InputPlaceholder] = input,
    };
}
