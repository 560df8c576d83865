using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>
/// The saved state of a training run at an iteration boundary, to continue it with
/// <see cref="VariationalTrainer.ResumeAsync"/>. Random choices derive from the seed and the iteration number, so this
/// state is all a run needs to continue exactly where it stopped. Written by the trainer after every iteration
/// (<see cref="TrainingRunOptions.CheckpointPath"/>) as versioned JSON; files of every earlier version still load.
/// </summary>
public sealed class TrainingCheckpoint
{
    /// <summary>The schema version this library writes (version 1 files, written by earlier releases, still load).</summary>
    public const int CurrentSchemaVersion = 2;

    [JsonConstructor]
    internal TrainingCheckpoint()
    {
    }

    /// <summary>Iterations completed: the next one to run is this number + 1.</summary>
    [JsonInclude, JsonRequired]
    public int IterationsCompleted { get; internal init; }

    /// <summary>Total iterations of the run (<see cref="VariationalTrainerOptions.Iterations"/>; resuming with another number is refused).</summary>
    [JsonInclude, JsonRequired]
    public int Iterations { get; internal init; }

    /// <summary>The run's seed (<see cref="VariationalTrainerOptions.Seed"/>; resuming with another seed is refused).</summary>
    [JsonInclude, JsonRequired]
    public int Seed { get; internal init; }

    /// <summary>The prompts of the best validation so far, first layer to last (the initial prompts before any validation).</summary>
    [JsonInclude, JsonRequired]
    public IReadOnlyList<string> BestPrompts { get; internal init; } = [];

    /// <summary>The best dev score (the mean metric; accuracy with exact match) so far, or <see langword="null"/> before the first successful validation.</summary>
    [JsonInclude]
    public double? BestDevAccuracy { get; internal init; }

    /// <summary>
    /// The metric the run is scored by (<see cref="VariationalTrainerOptions.Metric"/>; resuming with another is refused).
    /// <see langword="null"/> in files written before metrics were recorded, which were all scored by exact match.
    /// </summary>
    [JsonInclude]
    public MetricIdentity? Metric { get; internal init; }

    // The rest of the state, written to the file: what the trainer needs to continue, not part of the public surface.
    [JsonInclude, JsonPropertyOrder(-1)]
    internal int SchemaVersion { get; init; } = CurrentSchemaVersion;

    [JsonInclude, JsonRequired]
    internal int Depth { get; init; }

    /// <summary>The current prompts, first layer to last.</summary>
    [JsonInclude, JsonRequired]
    internal IReadOnlyList<string> Prompts { get; init; } = [];

    /// <summary>
    /// For a network declared as a graph, its node names in layer order (the prompts, the memory and the dev accuracies
    /// hold one entry per node in this order); absent for a stack, whose layers are numbered.
    /// </summary>
    [JsonInclude]
    internal IReadOnlyList<string>? Nodes { get; init; }

    [JsonInclude]
    internal double? InitialDevAccuracy { get; init; }

    [JsonInclude]
    internal int ValidationsWithoutImprovement { get; init; }

    /// <summary>Iterations and validations counted against the error budget.</summary>
    [JsonInclude]
    internal int FailedIterations { get; init; }

    [JsonInclude]
    internal IReadOnlyList<MemoryEntry> Memory { get; init; } = [];

    /// <summary>Every prompt set measured on dev, with its accuracy.</summary>
    [JsonInclude]
    internal IReadOnlyList<MemoryEntry> DevAccuracies { get; init; } = [];

    /// <summary>
    /// Prompt sets whose validation stopped early, with the bound above their accuracy; absent when there are none
    /// (and in files written before validations could stop early).
    /// </summary>
    [JsonInclude]
    internal IReadOnlyList<MemoryEntry>? DevAccuracyBounds { get; init; }

    /// <summary>With validations that stop early, how often each dev item was missed (their order); absent otherwise.</summary>
    [JsonInclude]
    internal IReadOnlyList<int>? DevItemMisses { get; init; }

    [JsonInclude]
    internal IReadOnlyList<TrainingProgress> History { get; init; } = [];

    [JsonInclude]
    internal long Calls { get; init; }

    [JsonInclude]
    internal long Tokens { get; init; }

    /// <summary>Serialises the checkpoint to JSON (schema version <see cref="CurrentSchemaVersion"/>).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => CheckpointDocument.Write(this);

    /// <summary>Writes the checkpoint atomically (temporary file, flush, rename), so a crash never leaves a partial file.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(path, ToJson(), cancellationToken);

    /// <summary>Reads a checkpoint.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is truncated, malformed or from a newer version; the message names the file.</exception>
    public static async Task<TrainingCheckpoint> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No checkpoint at '{path}'.", path);
        }

        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return FromJson(json, path);
    }

    /// <summary>Parses a checkpoint.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">A file name for error messages.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="InvalidDataException">The text is truncated, malformed or from a newer version; the message names the field.</exception>
    public static TrainingCheckpoint FromJson(string json, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return CheckpointDocument.Read(json, sourceName ?? "checkpoint");
    }
}
