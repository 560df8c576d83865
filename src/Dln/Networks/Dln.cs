using System.Text;

namespace DeepLanguageNetworks;

/// <summary>
/// A deep language network: <see cref="LanguageLayer"/>s wired as a directed acyclic graph. Each node reads the
/// network's input and the outputs of other nodes, joined by its input template; the output node answers. A stack
/// (<see cref="CreateOneLayer"/>, <see cref="CreateTwoLayer"/>, <see cref="CreateDeep"/>, the constructor) is the
/// chain in which each layer after the first reads the original input followed by the previous layer's output
/// (residual connections); <see cref="CreateGraph"/> declares any other graph.
/// </summary>
/// <remarks>
/// <para>Layers are numbered in topological order (<see cref="Nodes"/>): a node comes after every node it reads, and
/// the output node is the last. <see cref="Layers"/>, <see cref="Prompts"/>, <see cref="SetPrompts"/>, a result's
/// <see cref="DlnResult.LayerInputs"/> and <see cref="DlnResult.HiddenOutputs"/>, and <see cref="CallPurpose.Layer"/>
/// all use this numbering; for a stack it is the order of the layers.</para>
/// <para>The network holds the learnable prompts; a trainer (VariationalTrainer) changes them. A network saves to and
/// loads from a plain, versioned JSON document (<see cref="ToJson"/>, <see cref="FromJson(string, Func{int, ILanguageModel}, string?)"/>).</para>
/// </remarks>
public sealed class Dln
{
    private readonly DlnNode[] _nodes;
    private readonly LanguageLayer[] _layers;
    private readonly int[][] _sources;
    private readonly int[][] _sourceNodes;
    private readonly int[][] _readers;
    private readonly Dictionary<string, DlnNode> _byName;

    /// <summary>Builds a stack from its layers.</summary>
    /// <param name="layers">At least one layer; every layer but the last must output free text.</param>
    /// <param name="options">Wiring options.</param>
    /// <exception cref="ArgumentException">No layer, a null layer, or a hidden layer with a classification output.</exception>
    public Dln(IEnumerable<LanguageLayer> layers, DlnOptions? options = null)
        : this(Stack(layers, options ?? new DlnOptions()), options ?? new DlnOptions(), isStack: true)
    {
    }

    private Dln(OrderedGraph graph, DlnOptions options, bool isStack)
    {
        Options = options;
        IsStack = isStack;
        var count = graph.Nodes.Length;
        _layers = [.. graph.Nodes.Select(n => n.Layer)];
        _sources = graph.Sources;
        _sourceNodes = [.. _sources.Select(s => s.Where(x => x != NetworkGraph.NetworkInputSource).ToArray())];
        _nodes = [.. graph.Nodes.Select((n, i) => new DlnNode(n.Name, i, n.Layer, n.Inputs, n.InputTemplate, isOutput: i == count - 1))];
        _readers = [.. Enumerable.Range(0, count).Select(i => Enumerable.Range(0, count).Where(r => _sourceNodes[r].Contains(i)).ToArray())];
        _byName = _nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
    }

    /// <summary>The layers in topological order (for a stack, first to last); the output layer is the last.</summary>
    public IReadOnlyList<LanguageLayer> Layers => _layers;

    /// <summary>The nodes in topological order: each layer with its name and what it reads.</summary>
    public IReadOnlyList<DlnNode> Nodes => _nodes;

    /// <summary>Wiring options.</summary>
    public DlnOptions Options { get; }

    /// <summary>The last layer, which answers.</summary>
    public LanguageLayer OutputLayer => _layers[^1];

    /// <summary>The node that answers (the last one).</summary>
    public DlnNode OutputNode => _nodes[^1];

    /// <summary>Number of layers (nodes).</summary>
    public int Depth => _layers.Length;

    /// <summary>The current prompts, in layer order.</summary>
    public IReadOnlyList<string> Prompts => _layers.Select(l => l.Prompt).ToArray();

    /// <summary>Whether the network is a stack wired by its options (a schema 1 file), rather than a graph declared node by node.</summary>
    internal bool IsStack { get; }

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
    /// Starts declaring a network as a graph of named layers: <c>Dln.CreateGraph().AddLayer("facts", …).AddLayer("tone", …)
    /// .AddLayer("answer", …, inputs: ["input", "facts", "tone"]).Build(output: "answer")</c>.
    /// </summary>
    /// <param name="options">
    /// Network options; of these a graph keeps <see cref="DlnOptions.StripOptionsForHiddenLayers"/> (hidden nodes that
    /// read the network's input read it without its options block). The residual settings describe how a stack wires
    /// its layers and are not kept: a graph's nodes say what they read (<see cref="DlnNode.InputTemplate"/>).
    /// </param>
    /// <returns>The builder.</returns>
    public static DlnGraphBuilder CreateGraph(DlnOptions? options = null) => new(options);

    /// <summary>The network of a checked graph (see <see cref="DlnGraphBuilder.Build"/>).</summary>
    internal static Dln FromGraph(OrderedGraph graph, DlnOptions options) => new(graph, options, isStack: false);

    /// <summary>The node named <paramref name="name"/>.</summary>
    /// <param name="name">A node name.</param>
    /// <returns>The node.</returns>
    /// <exception cref="KeyNotFoundException">No node has that name; the message lists the nodes.</exception>
    public DlnNode GetNode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out var node)
            ? node
            : throw new KeyNotFoundException($"The network has no node named \"{name}\" (nodes: {string.Join(", ", _nodes.Select(n => n.Name))}).");
    }

    /// <summary>
    /// The graph as text, one line per node in layer order: its name, what it reads, and which node answers; for example
    /// <c>answer &lt;- input, facts, tone (output)</c>.
    /// </summary>
    /// <returns>The lines, joined by newlines.</returns>
    public string Describe()
    {
        var width = _nodes.Max(n => n.Name.Length);
        var b = new StringBuilder();
        foreach (var node in _nodes)
        {
            b.Append(node.Name.PadRight(width)).Append(" <- ").AppendJoin(", ", node.Inputs);
            b.Append(node.IsOutput ? "  (output)\n" : "\n");
        }

        return b.ToString().TrimEnd('\n');
    }

    /// <summary>The layers that read the output of layer <paramref name="layer"/>, in layer order (none for the output layer).</summary>
    internal IReadOnlyList<int> ReadersOf(int layer) => _readers[layer];

    /// <summary>The layers whose output layer <paramref name="layer"/> reads, in the order of its inputs (the network's input left out).</summary>
    internal IReadOnlyList<int> SourcesOf(int layer) => _sourceNodes[layer];

    /// <summary>
    /// A copy of this network (same templates, prompts, output spaces, options, demonstrations and wiring) whose layers
    /// call <c>decorate(model)</c> instead of their model; each distinct model is decorated once and shared by its
    /// layers. Prompt changes on the copy do not affect this network.
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
        }).ToArray();
        if (IsStack)
        {
            return new Dln(layers, Options) { TrainedMetric = TrainedMetric };
        }

        var nodes = _nodes.Select((n, i) => new NodeSpec(n.Name, layers[i], n.Inputs, n.InputTemplate)).ToArray();
        return new Dln(new OrderedGraph(nodes, _sources), Options, isStack: false) { TrainedMetric = TrainedMetric };
    }

    /// <summary>Sets all prompts at once.</summary>
    /// <param name="prompts">One prompt per layer, in layer order.</param>
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
    /// The text layer <paramref name="layerIndex"/> reads, for a layer that reads at most one other layer (every layer
    /// of a stack): for the first layer of a stack the original input (options stripped for a hidden layer when
    /// <see cref="DlnOptions.StripOptionsForHiddenLayers"/> is on); for later layers the residual combination of the
    /// original input and <paramref name="previousOutput"/>, or the previous output alone without residual connections.
    /// In a graph, <paramref name="previousOutput"/> is the output of the one node the node reads.
    /// </summary>
    /// <param name="layerIndex">0-based layer index.</param>
    /// <param name="input">The network's original input.</param>
    /// <param name="previousOutput">The output of the layer this one reads (ignored for a layer that reads only the input).</param>
    /// <returns>The layer's input text.</returns>
    /// <exception cref="InvalidOperationException">The layer reads several layers; use <see cref="GetNodeInput"/>.</exception>
    public string GetLayerInput(int layerIndex, string input, string? previousOutput)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layerIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layerIndex, _layers.Length);
        ArgumentNullException.ThrowIfNull(input);
        var sources = _sourceNodes[layerIndex];
        if (sources.Length > 1)
        {
            throw new InvalidOperationException(
                $"Node \"{_nodes[layerIndex].Name}\" reads several nodes ({string.Join(", ", sources.Select(s => _nodes[s].Name))}); use GetNodeInput with the outputs by name.");
        }

        var outputs = new string?[_layers.Length];
        if (sources.Length == 1)
        {
            outputs[sources[0]] = previousOutput;
        }

        return RenderInput(layerIndex, input, outputs);
    }

    /// <summary>The text node <paramref name="node"/> reads, given the network's input and the outputs of the nodes it reads.</summary>
    /// <param name="node">The node's name.</param>
    /// <param name="input">The network's original input.</param>
    /// <param name="outputs">The outputs of the nodes it reads, by name; a node not listed reads as an empty text.</param>
    /// <returns>The node's input text.</returns>
    /// <exception cref="KeyNotFoundException">No node has that name.</exception>
    public string GetNodeInput(string node, string input, IReadOnlyDictionary<string, string> outputs)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(outputs);
        var index = GetNode(node).Index;
        var byIndex = _nodes.Select(n => outputs.TryGetValue(n.Name, out var text) ? text : null).ToArray();
        return RenderInput(index, input, byIndex);
    }

    /// <summary>
    /// Renders the input of layer <paramref name="layer"/> from the network's input and the outputs of the layers it
    /// reads (by layer index; a missing one reads as empty). A hidden layer reads the network's input without its
    /// options block when <see cref="DlnOptions.StripOptionsForHiddenLayers"/> is on.
    /// </summary>
    internal string RenderInput(int layer, string input, IReadOnlyList<string?> outputs)
    {
        var sources = _sources[layer];
        var node = _nodes[layer];
        string Text(int source) => source == NetworkGraph.NetworkInputSource
            ? !node.IsOutput && Options.StripOptionsForHiddenLayers ? OptionsBlock.Strip(input) : input
            : outputs[source] ?? string.Empty;

        if (node.InputTemplate is not { } template)
        {
            return Text(sources[0]);
        }

        var values = new Dictionary<string, string>(sources.Length, StringComparer.Ordinal);
        for (var j = 0; j < sources.Length; j++)
        {
            values[node.Inputs[j]] = Text(sources[j]);
        }

        return template.Render(values);
    }

    /// <summary>Runs the network on one input with its current prompts.</summary>
    /// <param name="input">The input text.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The output and the hidden texts.</returns>
    public Task<DlnResult> InvokeAsync(string input, CancellationToken cancellationToken = default) =>
        InvokeAsync(input, prompts: null, new CallPurpose(CallRole.Inference), cancellationToken);

    /// <summary>
    /// Runs the network on one input, optionally with other prompts than the current ones. A node starts as soon as the
    /// nodes it reads have answered, so nodes that do not depend on each other run at the same time. When a call fails,
    /// the nodes that read it are not run; calls already made finish, and the first failure in layer order is thrown.
    /// </summary>
    /// <param name="input">The input text.</param>
    /// <param name="prompts">One prompt per layer, or <see langword="null"/> for the current prompts.</param>
    /// <param name="purpose">Why the calls are made (the layer index is filled in per layer).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The output, every node's output and every layer's input.</returns>
    public async Task<DlnResult> InvokeAsync(string input, IReadOnlyList<string>? prompts, CallPurpose purpose, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (prompts is not null && prompts.Count != _layers.Length)
        {
            throw new ArgumentException($"Expected {_layers.Length} prompts (one per layer); got {prompts.Count}.", nameof(prompts));
        }

        var count = _layers.Length;
        var inputs = new string[count];
        var texts = new string?[count];
        var calls = new Task<LayerOutput>[count];
        async Task<LayerOutput> RunAsync(int layer)
        {
            // Layers are numbered in topological order: the calls of the layers this one reads have been started.
            foreach (var source in _sourceNodes[layer])
            {
                await calls[source].ConfigureAwait(false);
            }

            inputs[layer] = RenderInput(layer, input, texts);
            var output = await _layers[layer].ForwardAsync(inputs[layer], prompts?[layer], purpose with { Layer = layer }, cancellationToken).ConfigureAwait(false);
            texts[layer] = output.Text;
            return output;
        }

        for (var i = 0; i < count; i++)
        {
            calls[i] = RunAsync(i);
        }

        await Task.WhenAll(calls).ConfigureAwait(false);
        var outputs = calls.Select(c => c.Result).ToArray();
        var answer = outputs[^1];
        return new DlnResult(answer.Text, [.. outputs[..^1].Select(o => o.Text)], outputs.Aggregate(LanguageModelUsage.Zero, (sum, o) => sum + o.Usage))
        {
            Distribution = answer.Distribution,
            PredictedClass = answer.PredictedClass,
            LayerInputs = inputs,
            HiddenTruncated = [.. outputs[..^1].Select(o => o.FinishReason == FinishReason.Length)],
            Outputs = _nodes.Select((n, i) => (n.Name, outputs[i].Text)).ToDictionary(p => p.Name, p => p.Text, StringComparer.Ordinal),
        };
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

    /// <summary>Serialises the network (templates, prompts, output spaces, wiring, options; not the models) to versioned JSON.</summary>
    /// <remarks>A stack is written in schema version 1, which every release reads; a graph in schema version 2 (its nodes, what each reads, and the output node).</remarks>
    /// <param name="metadata">Optional free-form information to store (for example the training task and score).</param>
    /// <returns>The JSON document.</returns>
    public string ToJson(IReadOnlyDictionary<string, string>? metadata = null) => DlnJson.Write(this, metadata);

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

    /// <summary>Loads a network saved by <see cref="ToJson"/> (a stack or a graph, every schema version up to this release's).</summary>
    /// <param name="json">The document.</param>
    /// <param name="modelForLayer">Returns the model of the layer with the given 0-based index (in layer order: topological for a graph).</param>
    /// <param name="sourceName">A file name for error messages.</param>
    /// <returns>The network.</returns>
    /// <exception cref="NetworkFormatException">The document is malformed or from a newer schema version.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="modelForLayer"/> returned <see langword="null"/>.</exception>
    public static Dln FromJson(string json, Func<int, ILanguageModel> modelForLayer, string? sourceName = null) =>
        DlnJson.Read(json, modelForLayer, sourceName);

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

    /// <summary>The wiring of a stack: layer k reads the input (k = 0), or the input and layer k − 1 through the residual template, or layer k − 1 alone.</summary>
    private static OrderedGraph Stack(IEnumerable<LanguageLayer> layers, DlnOptions options)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var list = layers.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        for (var i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            }
        }

        for (var i = 0; i < list.Length - 1; i++)
        {
            if (list[i].OutputSpace.IsClassification)
            {
                throw new ArgumentException($"Layer {i} is a hidden layer and must output free text; only the last layer may output classes.", nameof(layers));
            }
        }

        var nodes = new NodeSpec[list.Length];
        var sources = new int[list.Length][];
        for (var i = 0; i < list.Length; i++)
        {
            var name = NetworkGraph.StackNodeName(i);
            if (i == 0)
            {
                nodes[i] = new NodeSpec(name, list[i], [DlnNode.NetworkInput], null);
                sources[i] = [NetworkGraph.NetworkInputSource];
                continue;
            }

            var previous = NetworkGraph.StackNodeName(i - 1);
            if (options.ResidualConnections)
            {
                // The residual template's {hidden} is the previous layer's output: renamed after that layer, it renders the same text.
                var template = options.ResidualTemplate.WithPlaceholdersRenamed(new Dictionary<string, string> { [LayerTemplates.HiddenPlaceholder] = previous });
                nodes[i] = new NodeSpec(name, list[i], [DlnNode.NetworkInput, previous], template);
                sources[i] = [NetworkGraph.NetworkInputSource, i - 1];
            }
            else
            {
                nodes[i] = new NodeSpec(name, list[i], [previous], null);
                sources[i] = [i - 1];
            }
        }

        return new OrderedGraph(nodes, sources);
    }
}
