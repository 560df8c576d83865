namespace DeepLanguageNetworks;

/// <summary>What a training session was started with, as its observers see it.</summary>
/// <param name="Network">The caller's network (its models, not the run's pipelines).</param>
/// <param name="BackwardModel">The caller's backward model.</param>
/// <param name="Options">The algorithm.</param>
/// <param name="Run">The run settings.</param>
/// <param name="Plan">The options resolved against the network.</param>
/// <param name="TrainExamples">Training examples the run uses (those found too long and skipped left out).</param>
/// <param name="DevExamples">Validation examples the run uses.</param>
/// <param name="ResumedFrom">The checkpoint the session continues, or null for a fresh run.</param>
/// <param name="CheckpointPath">Where checkpoints are written, or null.</param>
/// <param name="Data">The dataset's name and how it was split, when the run was given a <see cref="Dataset"/>.</param>
internal sealed record TrainingRunInfo(
    Dln Network,
    ILanguageModel BackwardModel,
    VariationalTrainerOptions Options,
    TrainingRunOptions Run,
    TrainingPlan Plan,
    int TrainExamples,
    int DevExamples,
    TrainingCheckpoint? ResumedFrom,
    string? CheckpointPath,
    RunDataInfo? Data = null)
{
    /// <summary>The train and dev examples found too long before the first call (skipped or truncated).</summary>
    public IReadOnlyList<OverlongInput> OverlongInputs { get; init; } = [];
}
