namespace DeepLanguageNetworks;

/// <summary>
/// The runtime decorators <see cref="VariationalTrainer"/> may add around the models of a run
/// (<see cref="TrainingRunOptions.RuntimeDecorators"/>). Each is added only to a model whose pipeline has none of its
/// kind yet, so a pipeline built with <see cref="LanguageModelBuilder"/> keeps its own and never gets a second one.
/// </summary>
[Flags]
public enum RuntimeDecorators
{
    /// <summary>None: the trainer adds only what it always needs (usage tracking, and the call log with <see cref="TrainingRunOptions.LogCalls"/>).</summary>
    None = 0,

    /// <summary>OpenTelemetry spans and metrics per call (<see cref="LanguageModelBuilderExtensions.UseTelemetry"/>).</summary>
    Telemetry = 1,

    /// <summary>A response cache with in-flight de-duplication over <see cref="TrainingRunOptions.CacheStore"/> (<c>UseCache</c>).</summary>
    Cache = 2,

    /// <summary>Retries of transient failures with <see cref="TrainingRunOptions.Retry"/> (<see cref="LanguageModelBuilderExtensions.UseRetry"/>).</summary>
    Retry = 4,

    /// <summary>A bound on calls in flight, <see cref="TrainingRunOptions.MaxConcurrency"/> (<c>UseConcurrencyLimit</c>).</summary>
    ConcurrencyLimit = 8,

    /// <summary>All four (the default).</summary>
    All = Telemetry | Cache | Retry | ConcurrencyLimit,
}
