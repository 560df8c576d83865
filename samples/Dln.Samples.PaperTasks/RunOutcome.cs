namespace DeepLanguageNetworks.Samples.Benchmark;

/// <summary>The result of one run, as printed and written to results.json.</summary>
internal sealed record RunOutcome
{
    /// <summary>The task id.</summary>
    public required string Task { get; init; }

    /// <summary>The method name.</summary>
    public required string Method { get; init; }

    /// <summary>The run seed (training draws only; the data seed is 42 for every run).</summary>
    public required int Seed { get; init; }

    /// <summary>How the run ended.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Best dev accuracy (the initial prompt's for the baselines).</summary>
    public double? DevAccuracy { get; init; }

    /// <summary>Test accuracy of the final network.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>How many test items have an input that is also a dev input (Ordered-Prompt tasks, the paper's protocol).</summary>
    public int DevInputsInTest { get; init; }

    /// <summary>Test accuracy on the items whose input is not a dev input; null when none overlaps.</summary>
    public double? TestAccuracyWithoutDevInputs { get; init; }

    /// <summary>Backend calls of training and validation (cache hits excluded).</summary>
    public long TrainCalls { get; init; }

    /// <summary>Calls of training and validation answered by the cache (DLN_CACHE, or the run's in-memory cache).</summary>
    public long TrainCacheHits { get; init; }

    /// <summary>Tokens of training and validation.</summary>
    public long TrainTokens { get; init; }

    /// <summary>Backend calls of the test evaluation.</summary>
    public long TestCalls { get; init; }

    /// <summary>Tokens of the test evaluation.</summary>
    public long TestTokens { get; init; }

    /// <summary>Wall-clock seconds of the run.</summary>
    public double Seconds { get; init; }

    /// <summary>The final prompts, first layer to last.</summary>
    public IReadOnlyList<string> Prompts { get; init; } = [];

    /// <summary>Why the run did not complete.</summary>
    public string? Error { get; init; }
}
