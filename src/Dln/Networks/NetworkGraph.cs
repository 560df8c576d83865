using System.Globalization;

namespace DeepLanguageNetworks;

/// <summary>A node as it is declared (to the builder or in a saved file), before the graph is checked and ordered.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="Layer">Its layer.</param>
/// <param name="Inputs">What it reads, in order.</param>
/// <param name="InputTemplate">How its inputs are joined; null when it reads one text as it is.</param>
internal sealed record NodeSpec(string Name, LanguageLayer Layer, IReadOnlyList<string> Inputs, PromptTemplate? InputTemplate);

/// <summary>
/// Checks a declared graph and puts its nodes in topological order. Every error names the node (or the nodes) at fault
/// and what was expected; nothing is built from a graph that fails a check.
/// </summary>
internal static class NetworkGraph
{
    /// <summary>The source index of the network's input in <see cref="OrderedGraph.Sources"/>.</summary>
    public const int NetworkInputSource = -1;

    /// <summary>
    /// Checks one node on its own: a name that a template can use and no other node may take, a layer, at least one
    /// input, no input twice, and an input template whose placeholders are exactly its inputs. Without
    /// <paramref name="inputs"/> the node reads what <paramref name="inputTemplate"/> names (in order of appearance),
    /// or the network's input; several inputs without a template are joined by <see cref="DefaultInputTemplate"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The node is invalid; the message names it.</exception>
    public static NodeSpec CreateSpec(string name, LanguageLayer layer, IReadOnlyList<string>? inputs, string? inputTemplate)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var (reads, template) = Declare(name, inputs, inputTemplate);
        return new NodeSpec(name, layer, reads, template);
    }

    /// <summary>The checks of <see cref="CreateSpec"/> that do not need the layer: what the node reads and how it joins it.</summary>
    /// <exception cref="ArgumentException">The node is invalid; the message names it.</exception>
    public static (IReadOnlyList<string> Inputs, PromptTemplate? Template) Declare(string name, IReadOnlyList<string>? inputs, string? inputTemplate)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == DlnNode.NetworkInput)
        {
            throw new ArgumentException($"The name \"{DlnNode.NetworkInput}\" is reserved for the network's input (nodes read it as \"{DlnNode.NetworkInput}\"); give the node another name.", nameof(name));
        }

        if (!PromptTemplate.IsValidName(name))
        {
            throw new ArgumentException(
                $"The node name \"{name}\" is not valid: a node name starts with a letter or an underscore and has only letters, digits and underscores, so that an input template can name it as a placeholder.",
                nameof(name));
        }

        PromptTemplate? template = null;
        if (inputTemplate is not null)
        {
            try
            {
                template = PromptTemplate.WithOwnPlaceholders(inputTemplate);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Node \"{name}\": its input template is invalid. {ex.Message}", nameof(inputTemplate), ex);
            }

            if (template.Placeholders.Count == 0)
            {
                throw new ArgumentException($"Node \"{name}\": its input template names no input; name each text the node reads as a placeholder, such as {{{DlnNode.NetworkInput}}}.", nameof(inputTemplate));
            }
        }

        var reads = inputs?.ToArray() ?? (template is not null ? [.. template.Placeholders] : [DlnNode.NetworkInput]);
        if (reads.Length == 0)
        {
            throw new ArgumentException($"Node \"{name}\" reads nothing; list at least one input (\"{DlnNode.NetworkInput}\" or the name of another node).", nameof(inputs));
        }

        for (var i = 0; i < reads.Length; i++)
        {
            if (string.IsNullOrEmpty(reads[i]))
            {
                throw new ArgumentException($"Node \"{name}\": input {i} is null or empty; expected \"{DlnNode.NetworkInput}\" or the name of another node.", nameof(inputs));
            }

            if (reads[i] == name)
            {
                throw new ArgumentException($"Node \"{name}\" reads itself; a node can only read the network's input and other nodes.", nameof(inputs));
            }

            if (Array.IndexOf(reads, reads[i]) != i)
            {
                throw new ArgumentException($"Node \"{name}\" reads \"{reads[i]}\" twice; list each input once (an input template may use it several times).", nameof(inputs));
            }
        }

        if (template is not null)
        {
            var unknown = template.Placeholders.Where(p => !reads.Contains(p, StringComparer.Ordinal)).ToArray();
            if (unknown.Length > 0)
            {
                throw new ArgumentException(
                    $"Node \"{name}\": its input template uses {Placeholders(unknown)}, which the node does not read (it reads {Names(reads)}); add them to its inputs or write them with doubled braces.",
                    nameof(inputTemplate));
            }

            var unused = reads.Where(r => !template.Placeholders.Contains(r, StringComparer.Ordinal)).ToArray();
            if (unused.Length > 0)
            {
                throw new ArgumentException(
                    $"Node \"{name}\" reads {Names(unused)}, but its input template does not use {Placeholders(unused)}; every input must appear in the template.",
                    nameof(inputTemplate));
            }
        }
        else if (reads.Length > 1)
        {
            template = DefaultInputTemplate(reads);
        }

        return (reads, template);
    }

    /// <summary>
    /// How a node that reads several texts joins them when it is given no template: the texts in the order listed, one
    /// after another on their own lines, each output of another node under a line with that node's name and a colon
    /// (the network's input goes without a heading), as the residual wiring of a stack puts a header before the hidden text.
    /// </summary>
    public static PromptTemplate DefaultInputTemplate(IReadOnlyList<string> inputs) =>
        PromptTemplate.WithOwnPlaceholders(string.Join("\n", inputs.Select(i => i == DlnNode.NetworkInput ? "{" + i + "}" : i + ":\n{" + i + "}")));

    /// <summary>
    /// Checks the graph and orders it: every input names the network's input or a node, there is no cycle, the output is
    /// a node, every other node's output reaches it, and only the output node outputs classes. The order is topological
    /// (a node after every node it reads), ties in the order the nodes were declared; the output node comes last. An
    /// already ordered list keeps its order.
    /// </summary>
    /// <exception cref="ArgumentException">The graph is invalid; the message names the nodes at fault.</exception>
    public static OrderedGraph Build(IReadOnlyList<NodeSpec> specs, string output)
    {
        var order = Order(specs.Select(s => s.Name).ToArray(), specs.Select(s => s.Inputs).ToArray(), output);
        var ordered = order.Declared.Select(i => specs[i]).ToArray();
        foreach (var node in ordered[..^1])
        {
            if (node.Layer.OutputSpace.IsClassification)
            {
                throw new ArgumentException(
                    $"Node \"{node.Name}\" outputs classes, but it is a hidden node (other nodes read it): only the output node \"{output}\" may output classes; a hidden node must output free text.",
                    nameof(specs));
            }
        }

        return new OrderedGraph(ordered, order.Sources);
    }

    /// <summary>The structural checks and the order of <see cref="Build"/>, from names and inputs alone (a saved file is ordered before its layers are made).</summary>
    /// <exception cref="ArgumentException">The graph is invalid; the message names the nodes at fault.</exception>
    public static GraphOrder Order(IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<string>> inputs, string output)
    {
        if (names.Count == 0)
        {
            throw new ArgumentException("The graph has no node; add at least one with AddLayer.", nameof(names));
        }

        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!byName.TryAdd(names[i], i))
            {
                throw new ArgumentException($"Two nodes are named \"{names[i]}\"; node names must be unique.", nameof(names));
            }
        }

        if (string.IsNullOrEmpty(output))
        {
            throw new ArgumentException($"The output node is not named; pass the name of the node that answers (nodes: {Names(names)}).", nameof(output));
        }

        if (output == DlnNode.NetworkInput)
        {
            throw new ArgumentException($"\"{DlnNode.NetworkInput}\" is the network's input, not a node; the output must be one of the nodes ({Names(names)}).", nameof(output));
        }

        if (!byName.TryGetValue(output, out var outputIndex))
        {
            throw new ArgumentException($"The output node \"{output}\" is not a node of the graph (nodes: {Names(names)}).", nameof(output));
        }

        // Declared positions of what each node reads (the network's input as NetworkInputSource).
        var sources = new int[names.Count][];
        for (var i = 0; i < names.Count; i++)
        {
            sources[i] = new int[inputs[i].Count];
            for (var j = 0; j < sources[i].Length; j++)
            {
                var read = inputs[i][j];
                if (read == DlnNode.NetworkInput)
                {
                    sources[i][j] = NetworkInputSource;
                }
                else if (byName.TryGetValue(read, out var source))
                {
                    sources[i][j] = source;
                }
                else
                {
                    throw new ArgumentException(
                        $"Node \"{names[i]}\" reads \"{read}\", which is neither a node of the graph nor the network's input \"{DlnNode.NetworkInput}\" (nodes: {Names(names)}).",
                        nameof(inputs));
                }
            }
        }

        var order = TopologicalOrder(names, sources);
        var reachesOutput = ReachesOutput(sources, outputIndex);
        var unused = Enumerable.Range(0, names.Count).Where(i => !reachesOutput[i]).Select(i => names[i]).ToArray();
        if (unused.Length > 0)
        {
            var one = unused.Length == 1;
            var readers = Enumerable.Range(0, names.Count).Where(i => sources[i].Contains(outputIndex)).Select(i => names[i]).ToArray();
            var why = readers.Length > 0
                ? $" The output node \"{output}\" is read by {Names(readers)}: the output node answers, and no node may read it."
                : string.Empty;
            throw new ArgumentException(
                $"{(one ? "Node" : "Nodes")} {Names(unused)} {(one ? "is" : "are")} not used: {(one ? "its" : "their")} output never reaches the output node \"{output}\". " +
                $"Remove {(one ? "it" : "them")} or make a node on the way to the output read {(one ? "it" : "them")}.{why}",
                nameof(names));
        }

        // Renumber by topological position.
        var position = new int[names.Count];
        for (var p = 0; p < order.Length; p++)
        {
            position[order[p]] = p;
        }

        return new GraphOrder(order, [.. order.Select(i => sources[i].Select(s => s == NetworkInputSource ? s : position[s]).ToArray())]);
    }

    /// <summary>Kahn's algorithm, taking the earliest declared node among those ready; a cycle is reported with its nodes.</summary>
    private static int[] TopologicalOrder(IReadOnlyList<string> names, int[][] sources)
    {
        var placed = new bool[names.Count];
        var order = new List<int>(names.Count);
        while (order.Count < names.Count)
        {
            var next = -1;
            for (var i = 0; i < names.Count && next < 0; i++)
            {
                if (!placed[i] && sources[i].All(s => s == NetworkInputSource || placed[s]))
                {
                    next = i;
                }
            }

            if (next < 0)
            {
                var cycle = FindCycle(sources, placed);
                throw new ArgumentException(
                    $"The graph has a cycle: {string.Join(" -> ", cycle.Select(i => names[i]))} (each node reads the one before it). A node can only read nodes that do not read it, directly or through others.",
                    nameof(names));
            }

            placed[next] = true;
            order.Add(next);
        }

        return [.. order];
    }

    /// <summary>A cycle among the nodes not yet placed (each of which reads at least one other unplaced node), first node repeated at the end, reading direction reversed to follow the data.</summary>
    private static List<int> FindCycle(int[][] sources, bool[] placed)
    {
        // Walk from an unplaced node to an unplaced source, again and again: in a finite set the walk must repeat.
        var start = Array.IndexOf(placed, false);
        var path = new List<int>();
        var seenAt = new Dictionary<int, int>();
        var current = start;
        while (!seenAt.ContainsKey(current))
        {
            seenAt[current] = path.Count;
            path.Add(current);
            current = sources[current].First(s => s != NetworkInputSource && !placed[s]);
        }

        // path[k..] read each other backwards: path[k] reads path[k+1], ..., the last reads path[k]. Reversed, the
        // cycle follows the data; it is told from its earliest declared node.
        var cycle = path.Skip(seenAt[current]).Reverse().ToList();
        var first = cycle.IndexOf(cycle.Min());
        cycle = [.. cycle.Skip(first), .. cycle.Take(first)];
        cycle.Add(cycle[0]);
        return cycle;
    }

    private static bool[] ReachesOutput(int[][] sources, int output)
    {
        var reaches = new bool[sources.Length];
        var stack = new Stack<int>();
        reaches[output] = true;
        stack.Push(output);
        while (stack.Count > 0)
        {
            foreach (var s in sources[stack.Pop()])
            {
                if (s != NetworkInputSource && !reaches[s])
                {
                    reaches[s] = true;
                    stack.Push(s);
                }
            }
        }

        return reaches;
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => "\"" + n + "\""));

    private static string Placeholders(IEnumerable<string> names) => string.Join(", ", names.Select(n => "{" + n + "}"));

    /// <summary>The node name of layer <paramref name="index"/> in a stack.</summary>
    public static string StackNodeName(int index) => string.Create(CultureInfo.InvariantCulture, $"layer{index}");
}

/// <summary>A checked graph: the nodes in topological order, and per node the positions of what it reads (<see cref="NetworkGraph.NetworkInputSource"/> for the network's input).</summary>
internal sealed record OrderedGraph(NodeSpec[] Nodes, int[][] Sources);

/// <summary>A topological order: per position the node's declared index, and per position the positions of what it reads.</summary>
internal sealed record GraphOrder(int[] Declared, int[][] Sources);
