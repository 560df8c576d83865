namespace DeepLanguageNetworks;

/// <summary>The outcome of VariationalTrainer.TrainAsync. The network holds <see cref="BestPrompts"/> afterwards.</summary>
public sealed record TrainingResult
{
    /// <summary>The prompts with the best dev accuracy, first layer to last.</summary>
    public required IReadOnlyList<string> BestPrompts { get; init; }

    /// <summary>The best dev accuracy.</summary>
    public required double BestDevAccuracy { get; init; }

    /// <summary>Dev accuracy of the initial prompts (null when not measured).</summary>
    public double? InitialDevAccuracy { get; init; }

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
