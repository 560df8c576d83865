using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

// The plain, versioned JSON shape of a saved network. Internal: the public surface is Dln.ToJson / Dln.FromJson.
// Models are not part of the document; the caller supplies them when loading.
// Schema 1: a stack, "layers" in order (wired by the options). Schema 2: a graph, "nodes" in topological order, each
// naming what it reads ("inputs": the edges into it) and how it joins them ("inputTemplate"), and the "output" node.
// Stacks are still written in schema 1, which every release reads.
internal sealed class DlnDocument
{
    public const string FormatName = "dln-network";
    public const int StackSchemaVersion = 1;
    public const int CurrentSchemaVersion = 2;

    [JsonPropertyOrder(-2)]
    public required string Format { get; init; }

    [JsonPropertyOrder(-1)]
    public required int SchemaVersion { get; init; }

    public required NetworkOptionsDocument Options { get; init; }

    /// <summary>Schema 1: the layers of the stack, first to last.</summary>
    public List<LayerDocument>? Layers { get; init; }

    /// <summary>Schema 2: the nodes of the graph.</summary>
    public List<NodeDocument>? Nodes { get; init; }

    /// <summary>Schema 2: the name of the output node.</summary>
    public string? Output { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>The metric the network was trained for; absent when unknown (files written before metrics were recorded).</summary>
    public MetricDocument? Metric { get; init; }
}

internal sealed class MetricDocument
{
    public required string Name { get; init; }

    public Dictionary<string, string>? Settings { get; init; }
}

internal sealed class NodeDocument
{
    public required string Name { get; init; }

    /// <summary>What the node reads, in order: "input" or node names.</summary>
    public required List<string> Inputs { get; init; }

    /// <summary>The text of the template joining the inputs; absent when the node reads one text as it is.</summary>
    public string? InputTemplate { get; init; }

    public required LayerDocument Layer { get; init; }
}

internal sealed class NetworkOptionsDocument
{
    // Stack wiring: written for a stack (schema 1), left out for a graph, whose nodes say what they read; absent means on.
    public bool? ResidualConnections { get; init; }

    public bool StripOptionsForHiddenLayers { get; init; }

    public TemplateDocument? ResidualTemplate { get; init; }
}

internal sealed class LayerDocument
{
    public required TemplateDocument Template { get; init; }

    public required string Prompt { get; init; }

    public required OutputSpaceDocument OutputSpace { get; init; }

    public LayerOptionsDocument? Options { get; init; }

    public List<ExampleDocument>? Demonstrations { get; init; }

    public string? Model { get; init; }
}

internal sealed class TemplateDocument
{
    public required string Text { get; init; }

    public List<string>? Required { get; init; }

    public List<string>? Optional { get; init; }
}

internal sealed class OutputSpaceDocument
{
    public required string Kind { get; init; }

    public int? MaxTokens { get; init; }

    public List<ClassDocument>? Classes { get; init; }
}

internal sealed class ClassDocument
{
    public required string Label { get; init; }

    public required List<string> Verbalizers { get; init; }
}

internal sealed class LayerOptionsDocument
{
    public double Temperature { get; init; }

    public int TopLogProbabilities { get; init; } = 100;

    public double ContinuationBurnInRatio { get; init; } = ContinuationScorer.DefaultBurnInRatio;

    public List<string>? StopSequences { get; init; }

    public bool CollapseBlankLines { get; init; } = true;

    public bool MatchVerbalizerPrefixes { get; init; } = true;

    // "auto", "nextToken" or "continuation"; absent in files written before the option existed, which then load as auto.
    public string? ClassScoring { get; init; }
}

internal sealed class ExampleDocument
{
    public required string Input { get; init; }

    public required string Target { get; init; }
}
