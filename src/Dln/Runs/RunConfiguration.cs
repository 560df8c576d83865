namespace DeepLanguageNetworks;

// The content of config.json: the options records themselves (members that are behaviour, not data, written as their
// type name; see RunJson.Configuration), what they resolve to for this network, and the network's shape and models.
// Models are described field by field from their metadata, never serialised: they hold clients and credentials.

/// <summary>What a run was started with: enough to understand and repeat it, nothing secret.</summary>
internal sealed record RunConfiguration
{
    /// <summary>2: the options as written by System.Text.Json (1 wrote a hand-kept mirror of them).</summary>
    public const int CurrentSchemaVersion = 2;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string LibraryVersion { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The iteration a resumed session continued after; null for a fresh run.</summary>
    public int? ResumedAfterIteration { get; init; }

    public required int TrainExamples { get; init; }

    public required int DevExamples { get; init; }

    /// <summary>The dataset's name and how it was split, when the run was given a dataset; null otherwise.</summary>
    public RunDataInfo? Data { get; init; }

    /// <summary>The output scoring in use (Auto resolved).</summary>
    public required OutputScoring OutputScoring { get; init; }

    /// <summary>Whether an all-correct batch skips its update (the automatic rule resolved).</summary>
    public required bool SkipUpdateWhenBatchCorrect { get; init; }

    /// <summary>The metric the run is scored by (the options record writes only its type).</summary>
    public required MetricIdentity Metric { get; init; }

    /// <summary>The algorithm.</summary>
    public required VariationalTrainerOptions Trainer { get; init; }

    /// <summary>The run settings.</summary>
    public required TrainingRunOptions Run { get; init; }

    public required RunNetworkSettings Network { get; init; }

    public required RunModelInfo BackwardModel { get; init; }

    public static RunConfiguration Create(TrainingRunInfo info, DateTimeOffset now) => new()
    {
        LibraryVersion = Telemetry.Version,
        StartedAt = now,
        ResumedAfterIteration = info.ResumedFrom?.IterationsCompleted,
        TrainExamples = info.TrainExamples,
        DevExamples = info.DevExamples,
        Data = info.Data,
        OutputScoring = info.Plan.Scoring,
        SkipUpdateWhenBatchCorrect = info.Plan.SkipUpdateWhenBatchCorrect,
        Metric = MetricIdentity.Of(info.Options.Metric),
        Trainer = info.Options,
        Run = info.Run,
        Network = RunNetworkSettings.From(info.Network),
        BackwardModel = RunModelInfo.From(info.BackwardModel.Metadata),
    };
}

/// <summary>Which dataset a run trained on and how its splits were made (for example the paper's dev/test overlap).</summary>
internal sealed record RunDataInfo(string Name, string SplitDescription)
{
    public static RunDataInfo From(Dataset dataset) => new(dataset.Name, dataset.SplitDescription);
}

/// <summary>The network's shape and initial prompts.</summary>
internal sealed record RunNetworkSettings
{
    public required int Depth { get; init; }

    /// <summary>"stack" (layers wired by the options) or "graph" (nodes that name what they read).</summary>
    public required string Kind { get; init; }

    public required bool ResidualConnections { get; init; }

    /// <summary>The graph as text, one line per node (<see cref="Dln.Describe"/>).</summary>
    public required string Graph { get; init; }

    public required IReadOnlyList<RunLayerSettings> Layers { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsGraph => Kind == "graph";

    public static RunNetworkSettings From(Dln network) => new()
    {
        Depth = network.Depth,
        Kind = network.IsStack ? "stack" : "graph",
        ResidualConnections = network.Options.ResidualConnections,
        Graph = network.Describe(),
        Layers = network.Layers.Select((layer, i) => new RunLayerSettings
        {
            Index = i,
            Node = network.Nodes[i].Name,
            Inputs = network.Nodes[i].Inputs,
            InputTemplate = network.Nodes[i].InputTemplate?.Text,
            Model = RunModelInfo.From(layer.Model.Metadata),
            InitialPrompt = layer.Prompt,
            Template = layer.Template.Text,
            OutputSpace = layer.OutputSpace.ToString(),
            Classes = layer.OutputSpace.IsClassification ? layer.OutputSpace.Classes.Select(c => c.ToString()).ToArray() : null,
            MaxTokens = layer.OutputSpace.MaxTokens,
            Temperature = layer.Options.Temperature,
        }).ToArray(),
    };
}

/// <summary>One layer of the network.</summary>
internal sealed record RunLayerSettings
{
    public required int Index { get; init; }
    public required string Node { get; init; }
    public required IReadOnlyList<string> Inputs { get; init; }
    public string? InputTemplate { get; init; }
    public required RunModelInfo Model { get; init; }
    public required string InitialPrompt { get; init; }
    public required string Template { get; init; }
    public required string OutputSpace { get; init; }
    public IReadOnlyList<string>? Classes { get; init; }
    public required int MaxTokens { get; init; }
    public required double Temperature { get; init; }
}

/// <summary>Which model answered: provider, id and endpoint (with any user name, password, query or fragment removed).</summary>
internal sealed record RunModelInfo(string Provider, string ModelId, string? Endpoint)
{
    public static RunModelInfo From(LanguageModelMetadata metadata) => new(metadata.ProviderName, metadata.ModelId, SafeEndpoint(metadata.Endpoint));

    // Endpoints must not carry credentials (see LanguageModelMetadata.Endpoint); a misconfigured backend could still put
    // a key in a URL's query or user information, and a run folder is often shared, so those parts are never written.
    internal static string? SafeEndpoint(string? endpoint)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            return endpoint;
        }

        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && !uri.IsFile)
        {
            return new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty }.Uri.ToString();
        }

        var query = endpoint.IndexOfAny(['?', '#']);
        return query >= 0 ? endpoint[..query] : endpoint;
    }
}
