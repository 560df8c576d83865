using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

// The plain, versioned JSON shape of a saved network. Internal: the public surface is Dln.ToJson / Dln.FromJson.
// Models are not part of the document; the caller supplies them when loading.
internal sealed class DlnDocument
{
    public const string FormatName = "dln-network";
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyOrder(-2)]
    public required string Format { get; init; }

    [JsonPropertyOrder(-1)]
    public required int SchemaVersion { get; init; }

    public required NetworkOptionsDocument Options { get; init; }

    public required List<LayerDocument> Layers { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>The metric the network was trained for; absent when unknown (files written before metrics were recorded).</summary>
    public MetricDocument? Metric { get; init; }
}

internal sealed class MetricDocument
{
    public required string Name { get; init; }

    public Dictionary<string, string>? Settings { get; init; }
}

internal sealed class NetworkOptionsDocument
{
    public bool ResidualConnections { get; init; } = true;

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
