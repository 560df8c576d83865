namespace DeepLanguageNetworks;

/// <summary>The outcome of VariationalTrainer.TrainAsync. The network holds <see cref="BestPrompts"/> afterwards.</summary>
public sealed record TrainingResult
{
    /// <summary>The prompts with the best dev score, first layer to last.</summary>
    public required IReadOnlyList<string> BestPrompts { get; init; }

    /// <summary>The best dev score: the mean <see cref="Metric"/> on dev (the accuracy with the default exact match); also <see cref="BestDevScore"/>.</summary>
    public required double BestDevAccuracy { get; init; }

    /// <summary>Dev score of the initial prompts (null when not measured); also <see cref="InitialDevScore"/>.</summary>
    public double? InitialDevAccuracy { get; init; }

    /// <summary>The best mean metric on dev: the same number as <see cref="BestDevAccuracy"/>, named for any metric.</summary>
    public double BestDevScore => BestDevAccuracy;

    /// <summary>The initial prompts' mean metric on dev: the same number as <see cref="InitialDevAccuracy"/>.</summary>
    public double? InitialDevScore => InitialDevAccuracy;

    /// <summary>The metric the dev scores are of (<see cref="VariationalTrainerOptions.Metric"/>).</summary>
    public MetricIdentity Metric { get; init; } = MetricIdentity.ExactMatch;

    /// <summary>One report per iteration, in order.</summary>
    public required IReadOnlyList<TrainingProgress> History { get; init; }

    /// <summary>Iterations completed (including resumed ones).</summary>
    public required int IterationsCompleted { get; init; }

    /// <summary>Why training stopped before the last iteration (a budget), or null.</summary>
    public string? StopReason { get; init; }

    /// <summary>Backend calls made by the run (cache hits excluded).</summary>
    public long Calls { get; init; }

    /// <summary>Tokens consumed by the run (cache hits excluded).</summary>
    public long Tokens { get; init; }

    /// <summary>
    /// Train and dev examples whose input did not fit the context window when checked before the first call, and what
    /// was done (<see cref="TrainingRunOptions.OverlongInputs"/>): skipped ones were left out of the run, truncated ones
    /// trained with their input cut. Empty when every input fits or no model can count tokens.
    /// </summary>
    public IReadOnlyList<OverlongInput> OverlongInputs { get; init; } = [];

    /// <summary>Calls, cache hits, tokens and cost of this session of the run, per role, layer and model.</summary>
    public UsageReport Usage { get; init; } = UsageReport.Empty;
}
