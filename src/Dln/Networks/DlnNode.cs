namespace DeepLanguageNetworks;

/// <summary>
/// One node of a <see cref="Dln"/>: a <see cref="LanguageLayer"/>, the texts it reads (the network's input and the
/// outputs of other nodes, by name) and the template that joins them into the layer's input.
/// </summary>
/// <remarks>
/// Nodes are numbered in topological order (a node comes after every node it reads; ties keep the order in which the
/// nodes were added), and <see cref="Index"/> is the node's position in <see cref="Dln.Layers"/>, <see cref="Dln.Prompts"/>
/// and <see cref="CallPurpose.Layer"/>. The output node is always the last. In a stack built by
/// <see cref="Dln.CreateDeep"/> or the <see cref="Dln"/> constructor, node <c>k</c> is named <c>layer</c><i>k</i>.
/// </remarks>
public sealed class DlnNode
{
    internal DlnNode(string name, int index, LanguageLayer layer, IReadOnlyList<string> inputs, PromptTemplate? inputTemplate, bool isOutput)
    {
        Name = name;
        Index = index;
        Layer = layer;
        Inputs = inputs;
        InputTemplate = inputTemplate;
        IsOutput = isOutput;
    }

    /// <summary>The name of the network's own input, which every network reserves: a node reads it as <c>"input"</c>.</summary>
    public const string NetworkInput = "input";

    /// <summary>The node's name, unique in its network.</summary>
    public string Name { get; }

    /// <summary>The node's position in topological order: its index in <see cref="Dln.Layers"/>.</summary>
    public int Index { get; }

    /// <summary>The layer the node calls.</summary>
    public LanguageLayer Layer { get; }

    /// <summary>What the node reads, in order: <see cref="NetworkInput"/> or the names of other nodes.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>
    /// The template that joins the texts the node reads into its layer's input, with one placeholder per name in
    /// <see cref="Inputs"/>; <see langword="null"/> when the node reads one text and takes it as it is. Rendering is
    /// literal and one pass: a text that contains braces is never expanded again.
    /// </summary>
    public PromptTemplate? InputTemplate { get; }

    /// <summary>Whether this is the network's output node (the last one), whose answer is the network's.</summary>
    public bool IsOutput { get; }

    /// <summary>The node as one line: its name, what it reads, and whether it answers.</summary>
    /// <returns>For example <c>answer &lt;- input, facts, tone (output)</c>.</returns>
    public override string ToString() => $"{Name} <- {string.Join(", ", Inputs)}{(IsOutput ? " (output)" : string.Empty)}";
}
