using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>
/// The full state of a training run at an iteration boundary. Random choices are derived from the seed and the
/// iteration number, so this state is all that is needed to continue exactly where a run stopped.
/// </summary>
public sealed record TrainingCheckpoint
{
    /// <summary>The schema version this library writes.</summary>
    public const int CurrentSchemaVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Schema version of the document.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The run's seed; resuming with another seed is refused.</summary>
    public required int Seed { get; init; }

    /// <summary>Number of layers of the network trained.</summary>
    public required int Depth { get; init; }

    /// <summary>Total iterations of the run.</summary>
    public required int Iterations { get; init; }

    /// <summary>Iterations completed: the next one to run is this number + 1.</summary>
    public required int IterationsCompleted { get; init; }

    /// <summary>The network's prompts, first layer to last.</summary>
    public required IReadOnlyList<string> Prompts { get; init; }

    /// <summary>The best prompts so far.</summary>
    public required IReadOnlyList<string> BestPrompts { get; init; }

    /// <summary>Best dev accuracy so far (−1 before any validation).</summary>
    public required double BestDevAccuracy { get; init; }

    /// <summary>Dev accuracy of the initial prompts, when measured.</summary>
    public double? InitialDevAccuracy { get; init; }

    /// <summary>Validations since the last improvement.</summary>
    public int Patience { get; init; }

    /// <summary>Iterations and validations that failed so far (the error budget spent).</summary>
    public int FailedIterations { get; init; }

    /// <summary>The memory of best prompt sets.</summary>
    public IReadOnlyList<MemoryEntry> Memory { get; init; } = [];

    /// <summary>Dev accuracies already measured, keyed by the prompt set (so they are not measured twice).</summary>
    public IReadOnlyDictionary<string, double> DevAccuracies { get; init; } = new Dictionary<string, double>();

    /// <summary>The reports of the completed iterations.</summary>
    public IReadOnlyList<TrainingProgress> History { get; init; } = [];

    /// <summary>Backend calls made so far.</summary>
    public long Calls { get; init; }

    /// <summary>Tokens consumed so far.</summary>
    public long Tokens { get; init; }

    /// <summary>Serialises the checkpoint to JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

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
    /// <exception cref="InvalidDataException">The text is truncated, malformed or from a newer version.</exception>
    public static TrainingCheckpoint FromJson(string json, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var where = sourceName ?? "checkpoint";
        TrainingCheckpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize<TrainingCheckpoint>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? $" at line {l + 1}" : string.Empty;
            throw new InvalidDataException($"The checkpoint '{where}' is truncated or malformed{line}: {ex.Message}", ex);
        }

        if (checkpoint is null)
        {
            throw new InvalidDataException($"The checkpoint '{where}' is empty.");
        }

        if (checkpoint.SchemaVersion > CurrentSchemaVersion)
        {
            throw new InvalidDataException($"The checkpoint '{where}' has schema version {checkpoint.SchemaVersion}; this version of Dln reads version {CurrentSchemaVersion} or older. Update the Dln package.");
        }

        var problem = FindProblem(checkpoint);
        if (problem is not null)
        {
            throw new InvalidDataException($"The checkpoint '{where}' is inconsistent: {problem}.");
        }

        return checkpoint;
    }

    // JSON null passes 'required' and non-nullable annotations, so a hand-edited or foreign file is checked field by
    // field (names as they appear in the file) before a resume relies on it.
    private static string? FindProblem(TrainingCheckpoint c)
    {
        if (c.Depth < 1)
        {
            return $"depth is {c.Depth}; expected 1 or more";
        }

        if (c.Iterations < 0 || c.IterationsCompleted < 0 || c.IterationsCompleted > c.Iterations)
        {
            return $"iterationsCompleted is {c.IterationsCompleted} of {c.Iterations} iterations; expected 0 to iterations";
        }

        if (c.Prompts is null || c.Prompts.Any(p => p is null))
        {
            return "prompts is missing or holds null; expected one prompt per layer";
        }

        if (c.BestPrompts is null || c.BestPrompts.Any(p => p is null))
        {
            return "bestPrompts is missing or holds null; expected one prompt per layer";
        }

        if (c.Prompts.Count != c.Depth || c.BestPrompts.Count != c.Depth)
        {
            return $"depth {c.Depth} but {c.Prompts.Count} prompts and {c.BestPrompts.Count} bestPrompts";
        }

        if (c.Memory is null || c.Memory.Any(m => m?.Prompts is null || m.Prompts.Count != c.Depth || m.Prompts.Any(p => p is null)))
        {
            return $"memory is null or has an entry without {c.Depth} prompts";
        }

        if (c.DevAccuracies is null)
        {
            return "devAccuracies is null; expected an object (possibly empty)";
        }

        if (c.History is null || c.History.Any(h => h?.Prompts is null))
        {
            return "history is null or has an entry without prompts";
        }

        return null;
    }
}
