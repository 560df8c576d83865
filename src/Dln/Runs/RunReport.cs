using System.Globalization;
using System.Text;

namespace DeepLanguageNetworks;

/// <summary>Writes report.md: what a reader wants to know about a finished run, in Markdown that renders anywhere.</summary>
internal static class RunReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Build(TrainingResult result, RunConfiguration config, string? curveFileName, string? curveError)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(config);
        var b = new StringBuilder();
        var t = config.Trainer;
        b.Append("# Training report\n\n");
        var network = config.Network;
        b.Append(network.IsGraph ? $"A graph of {network.Depth} nodes" : $"A {network.Depth}-layer network");
        b.Append(Invariant, $" trained on {config.TrainExamples} examples, selected on {config.DevExamples} dev examples ");
        b.Append(Invariant, $"(seed {t.Seed}, batches of {t.BatchSize}, {t.PromptCandidates} candidates");
        if (config.Network.Depth > 1)
        {
            b.Append(Invariant, $", {t.HiddenSamples} hidden samples");
        }

        b.Append(Invariant, $", scoring by {config.OutputScoring}). Dln {config.LibraryVersion}, started {config.StartedAt:yyyy-MM-dd HH:mm:ss} UTC.\n\n");

        if (config.Data is { } data)
        {
            b.Append("## Data\n\n").Append(Invariant, $"Dataset `{data.Name}`");
            b.Append(string.IsNullOrWhiteSpace(data.SplitDescription) ? ".\n\n" : $": {data.SplitDescription}\n\n");
        }

        b.Append("## Results\n\n| | |\n|---|---|\n");
        Row(b, "Metric", Cell(result.Metric.ToString()));
        Row(b, "Initial dev accuracy", Percent(result.InitialDevAccuracy));
        Row(b, "Best dev accuracy", Percent(result.BestDevAccuracy));
        Row(b, "Iterations", string.Format(Invariant, "{0} of {1}", result.IterationsCompleted, t.Iterations));
        Row(b, "Stopped early", result.StopReason ?? "no");
        Row(b, "Backend calls", result.Calls.ToString("N0", Invariant));
        Row(b, "Tokens", result.Tokens.ToString("N0", Invariant));
        if (result.Usage.Total.Cost is { } cost)
        {
            Row(b, "Cost", cost.ToString("0.####", Invariant));
        }

        b.Append('\n');
        Network(b, network);
        OverlongInputs(b, result.OverlongInputs);
        UsageTable(b, result.Usage, config.ResumedAfterIteration);
        BestPrompts(b, result.BestPrompts, network);
        Models(b, config);
        Iterations(b, result.History, network);
        PromptsPerNode(b, result.History, network);

        b.Append("## Training curve\n\n");
        if (curveFileName is not null)
        {
            b.Append(Invariant, $"![Training curve: batch and dev accuracy, ELBO per iteration]({curveFileName})\n");
        }
        else if (curveError is not null)
        {
            b.Append("Not drawn: ").Append(Cell(curveError)).Append('\n');
        }
        else
        {
            b.Append("Not drawn: no `TrainingCurveRenderer` was set (the Dln.Plotting package provides one). `history.jsonl` holds the numbers.\n");
        }

        return b.ToString();
    }

    private static void OverlongInputs(StringBuilder b, IReadOnlyList<OverlongInput> overlong)
    {
        if (overlong.Count == 0)
        {
            return;
        }

        b.Append("## Inputs too long for the context window\n\n");
        b.Append(Invariant, $"{overlong.Count} example(s) were found before the first call (also in `{RunFolder.OverlongInputsFileName}`):\n\n");
        b.Append("| Split | Index | Source | Layer | Tokens | Context | Handling |\n|---|---:|---|---:|---:|---:|---|\n");
        foreach (var o in overlong)
        {
            b.Append(Invariant, $"| {o.Split} | {o.Index} | {Cell(o.Source ?? "–")} | {o.Layer} | {o.Tokens:N0} | {o.ContextLength:N0} | {(o.Truncated ? "truncated" : "skipped")} |\n");
        }

        b.Append('\n');
    }

    private static void UsageTable(StringBuilder b, UsageReport usage, int? resumedAfter)
    {
        b.Append("## Usage by role\n\n");
        if (resumedAfter is { } k)
        {
            b.Append(Invariant, $"This session only: it resumed the run after iteration {k}. The totals above cover the whole run.\n\n");
        }

        b.Append("| Role | Calls | Cache hits | Failures | Input tokens | Output tokens | Cost |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var (role, counts) in usage.ByRole.OrderBy(p => p.Key))
        {
            UsageRow(b, role.ToString(), counts);
        }

        UsageRow(b, "**Total**", usage.Total);
        b.Append('\n');
    }

    private static void UsageRow(StringBuilder b, string name, UsageCounts c) =>
        b.Append(Invariant, $"| {name} | {c.Calls:N0} | {c.CacheHits:N0} | {c.Failures:N0} | {c.InputTokens:N0} | {c.OutputTokens:N0} | {(c.Cost is { } cost ? cost.ToString("0.####", Invariant) : "–")} |\n");

    /// <summary>The network drawn as text: one line per node, what it reads, which one answers.</summary>
    private static void Network(StringBuilder b, RunNetworkSettings network)
    {
        b.Append("## Network\n\n");
        b.Append(network.IsGraph
            ? "Each node reads the network's input (`input`) and the outputs of the nodes it names; nodes in topological order:\n\n"
            : "A stack: each layer reads the one before it" + (network.ResidualConnections ? " and the network's input" : string.Empty) + ":\n\n");
        Fenced(b, network.Graph);
    }

    private static void BestPrompts(StringBuilder b, IReadOnlyList<string> prompts, RunNetworkSettings network)
    {
        b.Append("## Best prompts\n\n");
        for (var l = 0; l < prompts.Count; l++)
        {
            var kind = l == prompts.Count - 1 ? "output layer" : "hidden layer";
            b.Append(network.IsGraph && l < network.Layers.Count
                ? string.Format(Invariant, "Node `{0}` (layer {1}, {2}):\n\n", network.Layers[l].Node, l, kind)
                : string.Format(Invariant, "Layer {0} ({1}):\n\n", l, kind));
            Fenced(b, prompts[l]);
        }
    }

    private static void Fenced(StringBuilder b, string text)
    {
        var fence = new string('`', Math.Max(3, LongestBacktickRun(text) + 1));
        b.Append(fence).Append("text\n").Append(text).Append('\n').Append(fence).Append("\n\n");
    }

    private static void Models(StringBuilder b, RunConfiguration config)
    {
        b.Append("## Models\n\n");
        foreach (var layer in config.Network.Layers)
        {
            b.Append(Invariant, $"- Layer {layer.Index}");
            if (config.Network.IsGraph)
            {
                b.Append(" (`").Append(layer.Node).Append("`)");
            }

            b.Append(": ").Append(Describe(layer.Model)).Append('\n');
        }

        b.Append(Invariant, $"- Backward: {Describe(config.BackwardModel)}\n\n");
    }

    private static string Describe(RunModelInfo model) =>
        Cell(model.Endpoint is null ? $"{model.Provider}:{model.ModelId}" : $"{model.Provider}:{model.ModelId} at {model.Endpoint}");

    /// <summary>A layer's name in the report: its node name in a graph, L and its index in a stack.</summary>
    private static string LayerName(int layer, RunNetworkSettings network) =>
        network.IsGraph && layer < network.Layers.Count ? network.Layers[layer].Node : string.Format(Invariant, "L{0}", layer);

    /// <summary>Per node, the prompt chosen at every iteration that updated it, and where it came from.</summary>
    private static void PromptsPerNode(StringBuilder b, IReadOnlyList<TrainingProgress> history, RunNetworkSettings network)
    {
        b.Append("## Prompts chosen per ").Append(network.IsGraph ? "node" : "layer").Append("\n\n");
        for (var l = 0; l < network.Depth; l++)
        {
            var name = network.IsGraph && l < network.Layers.Count ? $"Node `{network.Layers[l].Node}`" : string.Format(Invariant, "Layer {0}", l);
            b.Append(name).Append(l == network.Depth - 1 ? " (output)" : string.Empty).Append(":\n\n");
            var chosen = history.SelectMany(h => h.Updates.Where(u => u.Layer == l).Select(u => (h.Iteration, Update: u))).ToArray();
            if (chosen.Length == 0)
            {
                b.Append("- not updated\n\n");
                continue;
            }

            foreach (var (iteration, u) in chosen)
            {
                b.Append(Invariant, $"- iteration {iteration}: {LoggingObserver.OriginName(u.SelectedOrigin)} (candidate {u.SelectedIndex + 1} of {u.Candidates}, score {u.SelectedScore:0.###}): ");
                b.Append(InlineCode(u.SelectedPrompt)).Append('\n');
            }

            b.Append('\n');
        }
    }

    // One line of inline code that no backtick in the text closes early.
    private static string InlineCode(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        var ticks = new string('`', LongestBacktickRun(line) + 1);
        return line.Length == 0 ? "(empty)" : $"{ticks} {line} {ticks}";
    }

    private static void Iterations(StringBuilder b, IReadOnlyList<TrainingProgress> history, RunNetworkSettings network)
    {
        b.Append("## Iterations\n\n");
        b.Append("| Iteration | Batch accuracy | Train loss | ELBO | Dev accuracy | Best dev | Prompts chosen | Calls |\n");
        b.Append("|---:|---:|---:|---:|---:|---:|---|---:|\n");
        foreach (var h in history)
        {
            var chosen = h.Updates.Count > 0
                ? string.Join("; ", h.Updates.Select(u => string.Format(Invariant, "{0} {1} (candidate {2} of {3}, score {4:0.###})", LayerName(u.Layer, network), LoggingObserver.OriginName(u.SelectedOrigin), u.SelectedIndex + 1, u.Candidates, u.SelectedScore)))
                : h.Iteration == 0 ? "initial prompts" : h.Skipped ? "skipped" : "–";
            if (h.Backtracked)
            {
                chosen += "; best prompts restored";
            }

            if (h.ContextOverflows > 0 || h.DevContextOverflows > 0)
            {
                chosen += string.Format(Invariant, "; left out for the context window: {0} batch, {1} dev example(s)", h.ContextOverflows, h.DevContextOverflows);
            }

            if (h.Error is not null)
            {
                chosen += "; failed: " + h.Error;
            }

            b.Append(Invariant, $"| {h.Iteration} | {Percent(h.BatchAccuracy)} | {Number(h.TrainLoss)} | {Number(h.Elbo)} | {Percent(h.DevAccuracy)} | {Percent(h.BestDevAccuracy)} | {Cell(chosen)} | {h.Calls:N0} |\n");
        }

        b.Append('\n');
    }

    private static void Row(StringBuilder b, string name, string value) => b.Append("| ").Append(name).Append(" | ").Append(Cell(value)).Append(" |\n");

    private static string Percent(double? value) => value is { } v && v >= 0 ? v.ToString("P1", Invariant) : "–";

    private static string Number(double? value) => value is { } v ? v.ToString("0.###", Invariant) : "–";

    // A table cell is one line, and a pipe would end it.
    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);

    private static int LongestBacktickRun(string text)
    {
        int longest = 0, run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
