namespace DeepLanguageNetworks;

/// <summary>
/// Declares a network as a directed acyclic graph of layers, one <see cref="AddLayer"/> per node, and checks it when
/// <see cref="Build"/> is called. Each node reads the network's input (<c>"input"</c>) and the outputs of other nodes,
/// by name; one node answers. Start with <see cref="Dln.CreateGraph"/>.
/// </summary>
/// <example>
/// Two nodes read the input in their own way; the answer reads the input and both:
/// <code>
/// var network = Dln.CreateGraph()
///     .AddLayer("facts", new LanguageLayer(model, LayerTemplates.Hidden, "List the facts.", OutputSpace.FreeText(64)))
///     .AddLayer("tone", new LanguageLayer(model, LayerTemplates.Hidden, "Describe the tone.", OutputSpace.FreeText(64)))
///     .AddLayer("answer", new LanguageLayer(model, LayerTemplates.Output, "Answer.", classes), inputs: ["input", "facts", "tone"])
///     .Build(output: "answer");
/// </code>
/// </example>
public sealed class DlnGraphBuilder
{
    private readonly DlnOptions _options;
    private readonly List<NodeSpec> _nodes = [];

    // Of the network options a graph keeps only what applies to it: the residual settings wire a stack's layers, and a
    // graph's nodes say what they read.
    internal DlnGraphBuilder(DlnOptions? options) =>
        _options = new DlnOptions { StripOptionsForHiddenLayers = options?.StripOptionsForHiddenLayers ?? false };

    /// <summary>
    /// Adds a node. Nodes may be added in any order (a node may read one added later); <see cref="Build"/> orders them.
    /// </summary>
    /// <param name="name">
    /// The node's name: unique, starting with a letter or an underscore, then letters, digits or underscores (so that
    /// an input template can name it); <c>"input"</c> is reserved for the network's input.
    /// </param>
    /// <param name="layer">The node's layer; every node has its own (each learns its own prompt).</param>
    /// <param name="inputs">
    /// What the node reads, in order: <c>"input"</c> and the names of other nodes. Without it, the node reads what
    /// <paramref name="inputTemplate"/> names, or else the network's input alone.
    /// </param>
    /// <param name="inputTemplate">
    /// How the texts it reads become the layer's input, with one placeholder per input, such as
    /// <c>"{input}\nFacts: {facts}\nTone: {tone}"</c> (literal and one pass: braces in the texts are never expanded;
    /// write <c>{{</c> and <c>}}</c> for literal braces). Without it, one input is read as it is, and several are
    /// written one after another, each node's output under a line with the node's name and a colon.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">
    /// The name is invalid, reserved or taken, the layer is already used by another node, the node reads nothing or
    /// one input twice, or the template is invalid or does not use exactly the inputs; the message names the node.
    /// </exception>
    public DlnGraphBuilder AddLayer(string name, LanguageLayer layer, IReadOnlyList<string>? inputs = null, string? inputTemplate = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var spec = NetworkGraph.CreateSpec(name, layer, inputs, inputTemplate);
        if (_nodes.Any(n => n.Name == name))
        {
            throw new ArgumentException($"A node named \"{name}\" was already added; node names must be unique.", nameof(name));
        }

        if (_nodes.FirstOrDefault(n => ReferenceEquals(n.Layer, layer)) is { } sharing)
        {
            throw new ArgumentException($"Node \"{name}\" uses the same LanguageLayer instance as node \"{sharing.Name}\"; give each node its own layer (each learns its own prompt).", nameof(layer));
        }

        _nodes.Add(spec);
        return this;
    }

    /// <summary>
    /// Checks the graph and builds the network: every input names the network's input or a node, the graph has no cycle,
    /// <paramref name="output"/> is a node, the output of every other node reaches it, and only it outputs classes.
    /// Building again gives another network over the same layers (and so the same prompts).
    /// </summary>
    /// <param name="output">The name of the node that answers.</param>
    /// <returns>The network, its nodes in topological order (<see cref="Dln.Nodes"/>).</returns>
    /// <exception cref="ArgumentException">The graph is invalid; the message names the nodes at fault.</exception>
    public Dln Build(string output) => Dln.FromGraph(NetworkGraph.Build(_nodes, output), _options);
}
