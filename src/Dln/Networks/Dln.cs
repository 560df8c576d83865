using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>
/// A deep language network: an ordered stack of <see cref="LanguageLayer"/>s. The first layers write hidden texts
/// (free text); the last one answers. With residual connections each layer after the first reads the original input
/// followed by the previous layer's output.
/// </summary>
/// <remarks>
/// The network holds the learnable prompts; a trainer (VariationalTrainer) changes them. A network saves
/// to and loads from a plain, versioned JSON document (<see cref="ToJson"/>, <see cref="FromJson(string, Func{int, ILanguageModel}, string?)"/>).
/// </remarks>
public sealed class Dln
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // A null where the document shape has no null ("layers": null) must be a format error naming the field, not a
        // NullReferenceException later.
        RespectNullableAnnotations = true,
    };

    private readonly LanguageLayer[] _layers;

    /// <summary>Builds a network from its layers.</summary>
    /// <param name="layers">At least one layer; every layer but the last must output free text.</param>
    /// <param name="options">Wiring options.</param>
    /// <exception cref="ArgumentException">No layer, a null layer, or a hidden layer with a classification output.</exception>
    public Dln(IEnumerable<LanguageLayer> layers, DlnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
        if (_layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        for (var i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is null)
            {
                throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            }
        }

        for (var i = 0; i < _layers.Length - 1; i++)
        {
            if (_layers[i].OutputSpace.IsClassification)
            {
                throw new ArgumentException($"Layer {i} is a hidden layer and must output free text; only the last layer may output classes.", nameof(layers));
            }
        }

        Options = options ?? new DlnOptions();
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<LanguageLayer> Layers => _layers;

    /// <summary>Wiring options.</summary>
    public DlnOptions Options { get; }

    /// <summary>The last layer, which answers.</summary>
    public LanguageLayer OutputLayer => _layers[^1];

    /// <summary>Number of layers.</summary>
    public int Depth => _layers.Length;

    /// <summary>The current prompts, first layer to last.</summary>
    public IReadOnlyList<string> Prompts => _layers.Select(l => l.Prompt).ToArray();

    /// <summary>
    /// The metric the network's prompts were trained for (set by the trainer when training ends, kept in the saved
    /// network's <c>"metric"</c> field); <see langword="null"/> for a network not trained, or saved before metrics were
    /// recorded. A record only: evaluate with the metric itself (<see cref="EvaluateAsync(IEnumerable{Example}, IMetric, IReadOnlyList{string}?, OverlongInputPolicy, int, CancellationToken)"/>).
    /// </summary>
    public MetricIdentity? TrainedMetric { get; set; }

    /// <summary>A one-layer network (DLN-1): <paramref name="instruction"/> is the initial prompt of the output layer.</summary>
    /// <param name="model">The model of the layer.</param>
    /// <param name="instruction">The initial prompt.</param>
    /// <param name="outputSpace">Classes or free text.</param>
    /// <param name="template">The output template; <see cref="LayerTemplates.Output"/> by default.</param>
    /// <returns>The network.</returns>
    public static Dln CreateOneLayer(ILanguageModel model, string instruction, OutputSpace outputSpace, PromptTemplate? template = null) =>
        new([new LanguageLayer(model, template ?? LayerTemplates.Output, instruction, outputSpace)]);

    /// <summary>
    /// A two-layer network (DLN-2): a reasoning layer writes a hidden text, the output layer reads the input and that
    /// text and answers.
    /// </summary>
    /// <param name="model">The model of both layers.</param>
    /// <param name="hiddenPrompt">The initial prompt of the reasoning layer (the paper starts from an empty one).</param>
    /// <param name="outputPrompt">The initial prompt of the output layer (usually the task instruction).</param>
    /// <param name="outputSpace">Classes or free text.</param>
    /// <param name="options">Wiring options.</param>
    /// <param name="hiddenMaxTokens">Maximum tokens of the hidden text (256 in the paper).</param>
    /// <returns>The network.</returns>
    public static Dln CreateTwoLayer(ILanguageModel model, string hiddenPrompt, string outputPrompt, OutputSpace outputSpace, DlnOptions? options = null, int hiddenMaxTokens = 256) =>
        CreateDeep(model, [hiddenPrompt], outputPrompt, outputSpace, options, hiddenMaxTokens);

    /// <summary>An L-layer network: one reasoning layer per entry of <paramref name="hiddenPrompts"/>, then the output layer.</summary>
    /// <param name="model">The model of all layers.</param>
    /// <param name="hiddenPrompts">Initial prompts of the hidden layers, first to last.</param>
    /// <param name="outputPrompt">The initial prompt of the output layer.</param>
    /// <param name="outputSpace">Classes or free text.</param>
    /// <param name="options">Wiring options.</param>
    /// <param name="hiddenMaxTokens">Maximum tokens of each hidden text.</param>
    /// <returns>The network.</returns>
    public static Dln CreateDeep(ILanguageModel model, IEnumerable<string> hiddenPrompts, string outputPrompt, OutputSpace outputSpace, DlnOptions? options = null, int hiddenMaxTokens = 256)
    {
        ArgumentNullException.ThrowIfNull(hiddenPrompts);
        var layers = hiddenPrompts.Select(p => new LanguageLayer(model, LayerTemplates.Hidden, p, OutputSpace.FreeText(hiddenMaxTokens))).ToList();
        layers.Add(new LanguageLayer(model, LayerTemplates.Output, outputPrompt, outputSpace));
        return new Dln(layers, options);
    }

    /// <summary>
    /// A copy of this network (same templates, prompts, output spaces, options and demonstrations) whose layers call
    /// <c>decorate(model)</c> instead of their model; each distinct model is decorated once and shared by its layers.
    /// Prompt changes on the copy do not affect this network.
    /// </summary>
    /// <param name="decorate">Wraps a model, for example in a usage-tracking or caching decorator.</param>
    /// <returns>The copy.</returns>
    public Dln WithModels(Func<ILanguageModel, ILanguageModel> decorate)
    {
        ArgumentNullException.ThrowIfNull(decorate);
        var decorated = new Dictionary<ILanguageModel, ILanguageModel>(ReferenceEqualityComparer.Instance);
        var layers = _layers.Select(l =>
        {
            if (!decorated.TryGetValue(l.Model, out var model))
            {
                model = decorate(l.Model) ?? throw new InvalidOperationException("The decorator returned null.");
                decorated[l.Model] = model;
            }

            return new LanguageLayer(model, l.Template, l.Prompt, l.OutputSpace, l.Options) { Demonstrations = l.Demonstrations };
        });
        return new Dln(layers, Options) { TrainedMetric = TrainedMetric };
    }

    /// <summary>Sets all prompts at once.</summary>
    /// <param name="prompts">One prompt per layer, first to last.</param>
    /// <exception cref="ArgumentException">The count does not match the layers or an entry is null; no prompt is changed.</exception>
    public void SetPrompts(IReadOnlyList<string> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count != _layers.Length)
        {
            throw new ArgumentException($"Expected {_layers.Length} prompts (one per layer); got {prompts.Count}.", nameof(prompts));
        }

        // Check every entry before assigning any, so a bad list leaves the network as it was.
        for (var i = 0; i < prompts.Count; i++)
        {
            if (prompts[i] is null)
            {
                throw new ArgumentException($"The prompt of layer {i} is null; use an empty string for an empty prompt.", nameof(prompts));
            }
        }

        for (var i = 0; i < _layers.Length; i++)
        {
            _layers[i].Prompt = prompts[i];
        }
    }

    /// <summary>
    /// The text layer <paramref name="layerIndex"/> reads: for the first layer the original input (options stripped
    /// for a hidden layer when <see cref="DlnOptions.StripOptionsForHiddenLayers"/> is on); for later layers the
    /// residual combination of the original input and <paramref name="previousOutput"/>, or the previous output alone
    /// without residual connections.
    /// </summary>
    /// <param name="layerIndex">0-based layer index.</param>
    /// <param name="input">The network's original input.</param>
    /// <param name="previousOutput">The previous layer's output (ignored for the first layer).</param>
    /// <returns>The layer's input text.</returns>
    public string GetLayerInput(int layerIndex, string input, string? previousOutput)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layerIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layerIndex, _layers.Length);
        ArgumentNullException.ThrowIfNull(input);
        var isHidden = layerIndex < _layers.Length - 1;
        var original = isHidden && Options.StripOptionsForHiddenLayers ? OptionsBlock.Strip(input) : input;
        if (layerIndex == 0)
        {
            return original;
        }

        previousOutput ??= string.Empty;
        return Options.ResidualConnections
            ? Options.ResidualTemplate.Render((LayerTemplates.InputPlaceholder, original), (LayerTemplates.HiddenPlaceholder, previousOutput))
            : previousOutput;
    }

    /// <summary>Runs the network on one input with its current prompts.</summary>
    /// <param name="input">The input text.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The output and the hidden texts.</returns>
    public Task<DlnResult> InvokeAsync(string input, CancellationToken cancellationToken = default) =>
        InvokeAsync(input, prompts: null, new CallPurpose(CallRole.Inference), cancellationToken);

    /// <summary>Runs the network on one input, optionally with other prompts than the current ones.</summary>
    /// <param name="input">The input text.</param>
    /// <param name="prompts">One prompt per layer, or <see langword="null"/> for the current prompts.</param>
    /// <param name="purpose">Why the calls are made (the layer index is filled in per layer).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The output and the hidden texts.</returns>
    public async Task<DlnResult> InvokeAsync(string input, IReadOnlyList<string>? prompts, CallPurpose purpose, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (prompts is not null && prompts.Count != _layers.Length)
        {
            throw new ArgumentException($"Expected {_layers.Length} prompts (one per layer); got {prompts.Count}.", nameof(prompts));
        }

        var hidden = new List<string>(_layers.Length - 1);
        var truncated = new List<bool>(_layers.Length - 1);
        var inputs = new List<string>(_layers.Length);
        var usage = LanguageModelUsage.Zero;
        string? previous = null;
        for (var i = 0; i < _layers.Length; i++)
        {
            var layerInput = GetLayerInput(i, input, previous);
            inputs.Add(layerInput);
            var output = await _layers[i].ForwardAsync(layerInput, prompts?[i], purpose with { Layer = i }, cancellationToken).ConfigureAwait(false);
            usage += output.Usage;
            if (i < _layers.Length - 1)
            {
                hidden.Add(output.Text);
                truncated.Add(output.FinishReason == FinishReason.Length);
                previous = output.Text;
                continue;
            }

            return new DlnResult(output.Text, hidden, usage)
            {
                Distribution = output.Distribution,
                PredictedClass = output.PredictedClass,
                LayerInputs = inputs,
                HiddenTruncated = truncated,
            };
        }

        throw new InvalidOperationException("Unreachable: a network has at least one layer.");
    }

    /// <summary>Runs the network on every example and measures exact-match accuracy.</summary>
    /// <param name="examples">The examples.</param>
    /// <param name="maxParallelism">How many examples run at once (decorators such as a concurrency limit still apply).</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>Accuracy and per-example results, in input order.</returns>
    public Task<EvaluationResult> EvaluateAsync(IEnumerable<Example> examples, int maxParallelism = 16, CancellationToken cancellationToken = default) =>
        EvaluateAsync(examples, prompts: null, maxParallelism, cancellationToken);

    /// <summary>
    /// Runs the network with the given prompts on every example and measures exact-match accuracy
    /// (<see cref="Metrics.ExactMatch"/>). A predicted class is correct when the target names that class (by label or
    /// spelling, see <see cref="OutputSpace.FindClass"/>); free-text outputs are compared with the target as whole
    /// normalised texts (<see cref="AnswerNormalizer.NormalizeText"/>). An input that does not fit the
    /// context window is skipped and reported (<see cref="OverlongInputPolicy.Skip"/>; see the overload that takes a policy).
    /// </summary>
    /// <param name="examples">The examples.</param>
    /// <param name="prompts">One prompt per layer, or <see langword="null"/> for the current prompts.</param>
    /// <param name="maxParallelism">How many examples run at once.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>Accuracy and per-example results, in input order.</returns>
    public Task<EvaluationResult> EvaluateAsync(IEnumerable<Example> examples, IReadOnlyList<string>? prompts, int maxParallelism = 16, CancellationToken cancellationToken = default) =>
        EvaluateAsync(examples, prompts, OverlongInputPolicy.Skip, maxParallelism, cancellationToken);

    /// <summary>
    /// Runs the network with the given prompts on every example and measures exact-match accuracy, handling inputs that
    /// cannot fit the context window by <paramref name="overlongInputs"/>.
    /// </summary>
    /// <remarks>
    /// Before the first call, every input is checked against the context window of each layer whose model reports one
    /// and counts tokens (the template rendered with the prompt and the input, plus the room for the layer's output;
    /// later layers with an empty hidden text): those that cannot fit are skipped, cut or refused, and listed in
    /// <see cref="EvaluationResult.OverlongInputs"/> (split <c>test</c>). An example whose call still overflows (a backend
    /// that cannot count tokens, a long hidden text) is skipped too. Skipped examples are marked
    /// <see cref="ExampleResult.Skipped"/> and left out of <see cref="EvaluationResult.Accuracy"/> and <see cref="EvaluationResult.MeanScore"/>.
    /// </remarks>
    /// <param name="examples">The examples.</param>
    /// <param name="prompts">One prompt per layer, or <see langword="null"/> for the current prompts.</param>
    /// <param name="overlongInputs">What to do with an input that cannot fit.</param>
    /// <param name="maxParallelism">How many examples run at once.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>Accuracy and per-example results, in input order.</returns>
    /// <exception cref="ArgumentException"><paramref name="overlongInputs"/> is <see cref="OverlongInputPolicy.Fail"/> and an input cannot fit; nothing was called.</exception>
    public Task<EvaluationResult> EvaluateAsync(IEnumerable<Example> examples, IReadOnlyList<string>? prompts, OverlongInputPolicy overlongInputs, int maxParallelism = 16, CancellationToken cancellationToken = default) =>
        EvaluateAsync(examples, prompts, overlongInputs, "test", Metrics.ExactMatch, maxParallelism, cancellationToken);

    /// <summary>
    /// Runs the network on every example and scores each output with <paramref name="metric"/>: the result's
    /// <see cref="EvaluationResult.MeanScore"/> is the mean metric, <see cref="EvaluationResult.Accuracy"/> the fraction of
    /// full marks, and each <see cref="ExampleResult"/> has its score and feedback. Inputs that cannot fit the context
    /// window are handled as by the overload without a metric.
    /// </summary>
    /// <param name="examples">The examples.</param>
    /// <param name="metric">What a good answer is (for example <see cref="Metrics.TokenF1"/>, or the metric the network was trained with).</param>
    /// <param name="prompts">One prompt per layer, or <see langword="null"/> for the current prompts.</param>
    /// <param name="overlongInputs">What to do with an input that cannot fit.</param>
    /// <param name="maxParallelism">How many examples run at once.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The mean metric and per-example results, in input order.</returns>
    public Task<EvaluationResult> EvaluateAsync(IEnumerable<Example> examples, IMetric metric, IReadOnlyList<string>? prompts = null, OverlongInputPolicy overlongInputs = OverlongInputPolicy.Skip, int maxParallelism = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return EvaluateAsync(examples, prompts, overlongInputs, "test", metric, maxParallelism, cancellationToken);
    }

    /// <summary>The evaluation, naming the set in what it reports (<c>dev</c> for the trainer's validations).</summary>
    internal async Task<EvaluationResult> EvaluateAsync(IEnumerable<Example> examples, IReadOnlyList<string>? prompts, OverlongInputPolicy overlongInputs, string split, IMetric metric, int maxParallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        if (prompts is not null && prompts.Count != _layers.Length)
        {
            throw new ArgumentException($"Expected {_layers.Length} prompts (one per layer); got {prompts.Count}.", nameof(prompts));
        }

        var list = examples.ToArray();
        var fit = InputFitCheck.Check(this, list, split, overlongInputs, prompts);
        var results = new ExampleResult[list.Length];
        var usages = new LanguageModelUsage[list.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, list.Length),
            new ParallelOptions { MaxDegreeOfParallelism = maxParallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var skipped = new ExampleResult(list[i], string.Empty, IsCorrect: false) { Skipped = true };
                if (fit.Examples[i] is not { } run)
                {
                    results[i] = skipped;
                    return;
                }

                var call = await ContextOverflow.TryAsync(() => InvokeAsync(run.Input, prompts, new CallPurpose(CallRole.Evaluation), ct)).ConfigureAwait(false);
                if (!call.Fits)
                {
                    results[i] = skipped;
                    return;
                }

                var result = call.Value;
                var score = await ScoreAsync(metric, list[i], result, ct).ConfigureAwait(false);
                results[i] = new ExampleResult(list[i], result.Output, score.Score >= 1) { Score = score.Score, Feedback = score.Feedback, HiddenOutputs = result.HiddenOutputs };
                usages[i] = result.Usage;
            }).ConfigureAwait(false);
        var total = usages.Aggregate(LanguageModelUsage.Zero, (a, b) => a + b);
        return new EvaluationResult(results, total) { OverlongInputs = fit.Overlong, Metric = MetricIdentity.Of(metric) };
    }

    /// <summary>The requests one <see cref="InvokeAsync(string, CancellationToken)"/> makes, all layers together.</summary>
    internal int ForwardCalls => _layers.Sum(l => l.ForwardCalls);

    /// <summary>The metric's score of the network's answer to <paramref name="example"/> (class correctness for exact match on classes).</summary>
    internal ValueTask<MetricScore> ScoreAsync(IMetric metric, Example example, DlnResult result, CancellationToken cancellationToken) =>
        MetricScoring.ScoreAsync(metric, OutputLayer.OutputSpace, example, result.Output, result.PredictedClass, cancellationToken);

    /// <summary>Serialises the network (templates, prompts, output spaces, options; not the models) to versioned JSON.</summary>
    /// <param name="metadata">Optional free-form information to store (for example the training task and score).</param>
    /// <returns>The JSON document.</returns>
    public string ToJson(IReadOnlyDictionary<string, string>? metadata = null)
    {
        var document = new DlnDocument
        {
            Format = DlnDocument.FormatName,
            SchemaVersion = DlnDocument.CurrentSchemaVersion,
            Options = new NetworkOptionsDocument
            {
                ResidualConnections = Options.ResidualConnections,
                StripOptionsForHiddenLayers = Options.StripOptionsForHiddenLayers,
                ResidualTemplate = ToDocument(Options.ResidualTemplate),
            },
            Layers = _layers.Select(l => new LayerDocument
            {
                Template = ToDocument(l.Template),
                Prompt = l.Prompt,
                OutputSpace = new OutputSpaceDocument
                {
                    Kind = l.OutputSpace.IsClassification ? "classes" : "freeText",
                    MaxTokens = l.OutputSpace.IsClassification ? null : l.OutputSpace.MaxTokens,
                    Classes = l.OutputSpace.IsClassification
                        ? l.OutputSpace.Classes.Select(c => new ClassDocument { Label = c.Label, Verbalizers = [.. c.Verbalizers] }).ToList()
                        : null,
                },
                Options = new LayerOptionsDocument
                {
                    Temperature = l.Options.Temperature,
                    TopLogProbabilities = l.Options.TopLogProbabilities,
                    ContinuationBurnInRatio = l.Options.ContinuationBurnInRatio,
                    StopSequences = l.Options.StopSequences.Count > 0 ? [.. l.Options.StopSequences] : null,
                    CollapseBlankLines = l.Options.CollapseBlankLines,
                    MatchVerbalizerPrefixes = l.Options.MatchVerbalizerPrefixes,
                    ClassScoring = JsonNamingPolicy.CamelCase.ConvertName(l.Options.ClassScoring.ToString()),
                },
                Demonstrations = l.Demonstrations.Count > 0 ? l.Demonstrations.Select(d => new ExampleDocument { Input = d.Input, Target = d.Target }).ToList() : null,
                Model = l.Model.Metadata.ModelId,
            }).ToList(),
            Metadata = metadata?.ToDictionary(kv => kv.Key, kv => kv.Value),
            Metric = TrainedMetric is { } metric ? new MetricDocument { Name = metric.Name, Settings = metric.Settings.Count > 0 ? metric.Settings.ToDictionary() : null } : null,
        };
        return JsonSerializer.Serialize(document, JsonOptions);
    }

    /// <summary>Loads a network saved by <see cref="ToJson"/>, giving every layer the same model.</summary>
    /// <param name="json">The document.</param>
    /// <param name="model">The model of every layer.</param>
    /// <param name="sourceName">A file name for error messages.</param>
    /// <returns>The network.</returns>
    /// <exception cref="NetworkFormatException">The document is malformed or from a newer schema version.</exception>
    public static Dln FromJson(string json, ILanguageModel model, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return FromJson(json, _ => model, sourceName);
    }

    /// <summary>Loads a network saved by <see cref="ToJson"/>.</summary>
    /// <param name="json">The document.</param>
    /// <param name="modelForLayer">Returns the model of the layer with the given 0-based index.</param>
    /// <param name="sourceName">A file name for error messages.</param>
    /// <returns>The network.</returns>
    /// <exception cref="NetworkFormatException">The document is malformed or from a newer schema version.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="modelForLayer"/> returned <see langword="null"/>.</exception>
    public static Dln FromJson(string json, Func<int, ILanguageModel> modelForLayer, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(modelForLayer);
        var where = sourceName ?? "network JSON";
        DlnDocument? document;
        try
        {
            using var probe = JsonDocument.Parse(json);
            if (probe.RootElement.ValueKind == JsonValueKind.Object &&
                probe.RootElement.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number &&
                version.TryGetInt32(out var v) && v > DlnDocument.CurrentSchemaVersion)
            {
                throw new NetworkFormatException(
                    $"{where}: field \"schemaVersion\" is {v}, but this version of Dln reads schema version {DlnDocument.CurrentSchemaVersion} or older. Update the Dln package to load this network.");
            }

            document = JsonSerializer.Deserialize<DlnDocument>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? $"line {l + 1}: " : string.Empty;
            var path = string.IsNullOrEmpty(ex.Path) ? string.Empty : $"at {ex.Path}: ";
            throw new NetworkFormatException($"{where}: {line}{path}{ex.Message}", ex);
        }

        if (document is null)
        {
            throw new NetworkFormatException($"{where}: the document is empty (expected a JSON object with \"format\": \"{DlnDocument.FormatName}\").");
        }

        if (document.Format != DlnDocument.FormatName)
        {
            throw new NetworkFormatException($"{where}: field \"format\" is \"{document.Format}\"; expected \"{DlnDocument.FormatName}\".");
        }

        if (document.SchemaVersion < 1)
        {
            throw new NetworkFormatException($"{where}: field \"schemaVersion\" is {document.SchemaVersion}; expected a positive version.");
        }

        if (document.Layers.Count == 0)
        {
            throw new NetworkFormatException($"{where}: field \"layers\" is empty; a network needs at least one layer.");
        }

        var layers = new List<LanguageLayer>(document.Layers.Count);
        for (var i = 0; i < document.Layers.Count; i++)
        {
            // The serializer does not check the nullability of list elements.
            var layer = document.Layers[i] ?? throw new NetworkFormatException($"{where}: layers[{i}] is null; expected a layer object.");
            var model = modelForLayer(i) ?? throw new InvalidOperationException($"The model factory returned null for layer {i}; it must return a language model.");
            try
            {
                layers.Add(FromDocument(layer, model));
            }
            catch (ArgumentException ex)
            {
                throw new NetworkFormatException($"{where}: layers[{i}]: {ex.Message}", ex);
            }
        }

        DlnOptions options;
        try
        {
            options = new DlnOptions
            {
                ResidualConnections = document.Options.ResidualConnections,
                StripOptionsForHiddenLayers = document.Options.StripOptionsForHiddenLayers,
                ResidualTemplate = document.Options.ResidualTemplate is { } t ? FromDocument(t) : LayerTemplates.Residual,
            };
        }
        catch (ArgumentException ex)
        {
            throw new NetworkFormatException($"{where}: options.residualTemplate: {ex.Message}", ex);
        }

        MetricIdentity? trainedMetric;
        try
        {
            trainedMetric = document.Metric is { } m ? new MetricIdentity(m.Name, m.Settings) : null;
        }
        catch (ArgumentException ex)
        {
            throw new NetworkFormatException($"{where}: field \"metric.name\" is missing or empty; expected the name of the metric the network was trained for.", ex);
        }

        try
        {
            return new Dln(layers, options) { TrainedMetric = trainedMetric };
        }
        catch (ArgumentException ex)
        {
            throw new NetworkFormatException($"{where}: {ex.Message}", ex);
        }
    }

    /// <summary>Saves the network to a JSON file atomically (written to a temporary file, then renamed).</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="metadata">Optional free-form information to store.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public Task SaveAsync(string path, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(path, ToJson(metadata), cancellationToken);

    /// <summary>Loads a network from a JSON file, giving every layer the same model.</summary>
    /// <param name="path">The file.</param>
    /// <param name="model">The model of every layer.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The network.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NetworkFormatException">The file is malformed; the message names it.</exception>
    public static async Task<Dln> LoadAsync(string path, ILanguageModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No saved network at '{path}'.", path);
        }

        var json = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        return FromJson(json, model, path);
    }

    private static TemplateDocument ToDocument(PromptTemplate template) => new()
    {
        Text = template.Text,
        Required = [.. template.RequiredPlaceholders],
        Optional = template.OptionalPlaceholders.Count > 0 ? [.. template.OptionalPlaceholders] : null,
    };

    private static PromptTemplate FromDocument(TemplateDocument document) =>
        new(document.Text, document.Required ?? [], document.Optional);

    private static ClassScoring ParseClassScoring(string? value)
    {
        if (value is null)
        {
            return ClassScoring.Auto;
        }

        // By name only: Enum.TryParse would also accept numbers.
        foreach (var known in Enum.GetValues<ClassScoring>())
        {
            if (string.Equals(known.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        throw new ArgumentException($"field \"options.classScoring\" is \"{value}\"; expected \"auto\", \"nextToken\" or \"continuation\".");
    }

    private static LanguageLayer FromDocument(LayerDocument document, ILanguageModel model)
    {
        OutputSpace outputSpace = document.OutputSpace.Kind switch
        {
            "classes" => OutputSpace.FromClasses((document.OutputSpace.Classes ?? []).Select(c => new OutputClass(c.Label, c.Verbalizers))),
            "freeText" => OutputSpace.FreeText(document.OutputSpace.MaxTokens ?? 256),
            var other => throw new ArgumentException($"field \"outputSpace.kind\" is \"{other}\"; expected \"classes\" or \"freeText\"."),
        };
        var o = document.Options ?? new LayerOptionsDocument();
        var options = new LanguageLayerOptions
        {
            Temperature = o.Temperature,
            TopLogProbabilities = o.TopLogProbabilities,
            ContinuationBurnInRatio = o.ContinuationBurnInRatio,
            StopSequences = o.StopSequences ?? [],
            CollapseBlankLines = o.CollapseBlankLines,
            MatchVerbalizerPrefixes = o.MatchVerbalizerPrefixes,
            ClassScoring = ParseClassScoring(o.ClassScoring),
        };
        return new LanguageLayer(model, FromDocument(document.Template), document.Prompt, outputSpace, options)
        {
            Demonstrations = document.Demonstrations?.Select(d => new Example(d.Input, d.Target)).ToArray() ?? [],
        };
    }
}
