namespace DeepLanguageNetworks;

// The content of config.json. Built field by field from the trainer's settings and the models' metadata, never by
// serialising options or model objects: those can hold delegates, stores, clients and credentials.

/// <summary>What a run was started with: enough to understand and repeat it, nothing secret.</summary>
internal sealed record RunConfiguration
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string LibraryVersion { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The iteration a resumed session continued after; null for a fresh run.</summary>
    public int? ResumedAfterIteration { get; init; }

    public required int TrainExamples { get; init; }

    public required int DevExamples { get; init; }

    /// <summary>The output scoring in use (Auto resolved).</summary>
    public required OutputScoring OutputScoring { get; init; }

    public required RunTrainerSettings Trainer { get; init; }

    public required RunNetworkSettings Network { get; init; }

    public required RunModelInfo BackwardModel { get; init; }

    public static RunConfiguration Create(
        VariationalTrainerOptions options, Dln network, ILanguageModel backwardModel, OutputScoring scoring, int trainExamples, int devExamples, int? resumedAfter, DateTimeOffset now) => new()
        {
            LibraryVersion = DlnTelemetry.Version,
            StartedAt = now,
            ResumedAfterIteration = resumedAfter,
            TrainExamples = trainExamples,
            DevExamples = devExamples,
            OutputScoring = scoring,
            Trainer = RunTrainerSettings.From(options),
            Network = RunNetworkSettings.From(network),
            BackwardModel = RunModelInfo.From(backwardModel.Metadata),
        };
}

/// <summary>The trainer settings that shape a run.</summary>
internal sealed record RunTrainerSettings
{
    public int Iterations { get; init; }
    public int BatchSize { get; init; }
    public int PromptCandidates { get; init; }
    public int HiddenSamples { get; init; }
    public double BackwardTemperature { get; init; }
    public int BackwardMaxTokens { get; init; }
    public int ValidationInterval { get; init; }
    public bool EvaluateBeforeTraining { get; init; }
    public int MemorySize { get; init; }
    public int Tolerance { get; init; }
    public bool SkipUpdateWhenBatchCorrect { get; init; }
    public OutputScoring OutputScoring { get; init; }
    public double PosteriorTemperature { get; init; }
    public bool PosteriorIncludesPrior { get; init; }
    public bool PosteriorCorrectsForProposal { get; init; }
    public bool UseBestHiddenSampleOnly { get; init; }
    public double HintSampleProbability { get; init; }
    public double TrustRegionFactor { get; init; }
    public double ExplorationPenalty { get; init; }
    public bool DecayExplorationPenalty { get; init; }
    public bool BalancedBatches { get; init; }
    public int MaxPromptCharacters { get; init; }
    public int MaxExamplesInMetaPrompt { get; init; }
    public int FewShotExamples { get; init; }
    public IReadOnlyList<int>? TrainedLayers { get; init; }
    public int MaxFailedIterations { get; init; }
    public int Seed { get; init; }
    public bool UseRuntimeDecorators { get; init; }
    public int? MaxConcurrency { get; init; }
    public int? MaxRetryAttempts { get; init; }
    public string? CacheStore { get; init; }
    public long? BudgetMaxCalls { get; init; }
    public long? BudgetMaxTokens { get; init; }
    public decimal? BudgetMaxCost { get; init; }
    public bool LogCalls { get; init; }
    public bool LogCallText { get; init; }

    public static RunTrainerSettings From(VariationalTrainerOptions o) => new()
    {
        Iterations = o.Iterations,
        BatchSize = o.BatchSize,
        PromptCandidates = o.PromptCandidates,
        HiddenSamples = o.HiddenSamples,
        BackwardTemperature = o.BackwardTemperature,
        BackwardMaxTokens = o.BackwardMaxTokens,
        ValidationInterval = o.ValidationInterval,
        EvaluateBeforeTraining = o.EvaluateBeforeTraining,
        MemorySize = o.MemorySize,
        Tolerance = o.Tolerance,
        SkipUpdateWhenBatchCorrect = o.SkipUpdateWhenBatchCorrect,
        OutputScoring = o.OutputScoring,
        PosteriorTemperature = o.PosteriorTemperature,
        PosteriorIncludesPrior = o.PosteriorIncludesPrior,
        PosteriorCorrectsForProposal = o.PosteriorCorrectsForProposal,
        UseBestHiddenSampleOnly = o.UseBestHiddenSampleOnly,
        HintSampleProbability = o.HintSampleProbability,
        TrustRegionFactor = o.TrustRegionFactor,
        ExplorationPenalty = o.ExplorationPenalty,
        DecayExplorationPenalty = o.DecayExplorationPenalty,
        BalancedBatches = o.BalancedBatches,
        MaxPromptCharacters = o.MaxPromptCharacters,
        MaxExamplesInMetaPrompt = o.MaxExamplesInMetaPrompt,
        FewShotExamples = o.FewShotExamples,
        TrainedLayers = o.TrainedLayers?.ToArray(),
        MaxFailedIterations = o.MaxFailedIterations,
        Seed = o.Seed,
        UseRuntimeDecorators = o.UseRuntimeDecorators,
        MaxConcurrency = o.MaxConcurrency,
        MaxRetryAttempts = o.Retry?.MaxRetryAttempts,
        // The store's kind only: its connection (a file path, a Redis address) is the user's business.
        CacheStore = o.CacheStore?.GetType().Name,
        BudgetMaxCalls = o.Budget?.MaxCalls,
        BudgetMaxTokens = o.Budget?.MaxTokens,
        BudgetMaxCost = o.Budget?.MaxCost,
        LogCalls = o.LogCalls,
        LogCallText = o.LogCallText,
    };
}

/// <summary>The network's shape and initial prompts.</summary>
internal sealed record RunNetworkSettings
{
    public required int Depth { get; init; }
    public required bool ResidualConnections { get; init; }
    public required IReadOnlyList<RunLayerSettings> Layers { get; init; }

    public static RunNetworkSettings From(Dln network) => new()
    {
        Depth = network.Depth,
        ResidualConnections = network.Options.ResidualConnections,
        Layers = network.Layers.Select((layer, i) => new RunLayerSettings
        {
            Index = i,
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
