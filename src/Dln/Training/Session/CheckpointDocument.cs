using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>
/// The JSON of <see cref="TrainingCheckpoint"/>. Version 2 (written now) keeps the measured dev accuracies as a list of
/// prompt sets and leaves out the best dev accuracy before any validation; version 1 (written by earlier releases)
/// joined each prompt set into one key with U+241E and wrote −1 for "no validation yet". Both load.
/// </summary>
internal static class CheckpointDocument
{
    private const char Version1KeySeparator = '\u241E';

    private static readonly JsonSerializerOptions JsonOptions = CreateOptions();

    public static string Write(TrainingCheckpoint c) => JsonSerializer.Serialize(
        new Version2
        {
            Seed = c.Seed,
            Depth = c.Depth,
            Iterations = c.Iterations,
            IterationsCompleted = c.IterationsCompleted,
            Prompts = c.Prompts,
            BestPrompts = c.BestPrompts,
            BestDevAccuracy = c.BestDevAccuracy,
            InitialDevAccuracy = c.InitialDevAccuracy,
            ValidationsWithoutImprovement = c.ValidationsWithoutImprovement,
            FailedIterations = c.FailedIterations,
            Memory = c.Memory,
            DevAccuracies = c.DevAccuracies,
            History = c.History,
            Calls = c.Calls,
            Tokens = c.Tokens,
        },
        JsonOptions);

    public static TrainingCheckpoint Read(string json, string where)
    {
        TrainingCheckpoint? checkpoint;
        try
        {
            checkpoint = SchemaVersion(json) switch
            {
                null => null,
                <= 1 => JsonSerializer.Deserialize<Version1>(json, JsonOptions)?.ToCheckpoint(),
                TrainingCheckpoint.CurrentSchemaVersion => JsonSerializer.Deserialize<Version2>(json, JsonOptions)?.ToCheckpoint(),
                var newer => throw new InvalidDataException(
                    $"The checkpoint '{where}' has schema version {newer}; this version of Dln reads version {TrainingCheckpoint.CurrentSchemaVersion} or older. Update the Dln package."),
            };
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

        var problem = FindProblem(checkpoint);
        return problem is null ? checkpoint : throw new InvalidDataException($"The checkpoint '{where}' is inconsistent: {problem}.");
    }

    // Null for a JSON null; 1 when the document predates the field.
    private static int? SchemaVersion(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("schemaVersion", out var version) && version.TryGetInt32(out var number) ? number : 1;
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

        if (!HoldsPromptSets(c.Memory, c.Depth))
        {
            return $"memory is null or has an entry without {c.Depth} prompts";
        }

        if (!HoldsPromptSets(c.DevAccuracies, c.Depth))
        {
            return $"devAccuracies is null or has an entry without {c.Depth} prompts";
        }

        if (c.History is null || c.History.Any(h => h?.Prompts is null))
        {
            return "history is null or has an entry without prompts";
        }

        return null;
    }

    private static bool HoldsPromptSets(IReadOnlyList<MemoryEntry>? entries, int depth) =>
        entries is not null && entries.All(e => e?.Prompts is not null && e.Prompts.Count == depth && e.Prompts.All(p => p is not null));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed record Version2
    {
        public int SchemaVersion { get; init; } = TrainingCheckpoint.CurrentSchemaVersion;

        public required int Seed { get; init; }

        public required int Depth { get; init; }

        public required int Iterations { get; init; }

        public required int IterationsCompleted { get; init; }

        public required IReadOnlyList<string> Prompts { get; init; }

        public required IReadOnlyList<string> BestPrompts { get; init; }

        public double? BestDevAccuracy { get; init; }

        public double? InitialDevAccuracy { get; init; }

        public int ValidationsWithoutImprovement { get; init; }

        public int FailedIterations { get; init; }

        public IReadOnlyList<MemoryEntry> Memory { get; init; } = [];

        public IReadOnlyList<MemoryEntry> DevAccuracies { get; init; } = [];

        public IReadOnlyList<TrainingProgress> History { get; init; } = [];

        public long Calls { get; init; }

        public long Tokens { get; init; }

        public TrainingCheckpoint ToCheckpoint() => new()
        {
            Seed = Seed,
            Depth = Depth,
            Iterations = Iterations,
            IterationsCompleted = IterationsCompleted,
            Prompts = Prompts,
            BestPrompts = BestPrompts,
            BestDevAccuracy = BestDevAccuracy,
            InitialDevAccuracy = InitialDevAccuracy,
            ValidationsWithoutImprovement = ValidationsWithoutImprovement,
            FailedIterations = FailedIterations,
            Memory = Memory,
            DevAccuracies = DevAccuracies,
            History = History,
            Calls = Calls,
            Tokens = Tokens,
        };
    }

    private sealed record Version1
    {
        public required int Seed { get; init; }

        public required int Depth { get; init; }

        public required int Iterations { get; init; }

        public required int IterationsCompleted { get; init; }

        public required IReadOnlyList<string> Prompts { get; init; }

        public required IReadOnlyList<string> BestPrompts { get; init; }

        // −1 before any validation.
        public required double BestDevAccuracy { get; init; }

        public double? InitialDevAccuracy { get; init; }

        // Validations since the last improvement (now ValidationsWithoutImprovement).
        public int Patience { get; init; }

        public int FailedIterations { get; init; }

        public IReadOnlyList<MemoryEntry> Memory { get; init; } = [];

        // Keyed by the prompt set joined with U+241E.
        public IReadOnlyDictionary<string, double>? DevAccuracies { get; init; } = new Dictionary<string, double>();

        public IReadOnlyList<TrainingProgress> History { get; init; } = [];

        public long Calls { get; init; }

        public long Tokens { get; init; }

        public TrainingCheckpoint ToCheckpoint() => new()
        {
            Seed = Seed,
            Depth = Depth,
            Iterations = Iterations,
            IterationsCompleted = IterationsCompleted,
            Prompts = Prompts,
            BestPrompts = BestPrompts,
            BestDevAccuracy = BestDevAccuracy >= 0 ? BestDevAccuracy : null,
            InitialDevAccuracy = InitialDevAccuracy,
            ValidationsWithoutImprovement = Patience,
            FailedIterations = FailedIterations,
            Memory = Memory,
            DevAccuracies = DevAccuracies is null ? null! : SplitKeys(DevAccuracies, Depth),
            History = History,
            Calls = Calls,
            Tokens = Tokens,
        };

        // A key that does not split into one prompt per layer (a prompt that held U+241E itself) is dropped: the
        // accuracy is only a cache, measured again if those prompts come back.
        private static MemoryEntry[] SplitKeys(IReadOnlyDictionary<string, double> accuracies, int depth) =>
            accuracies.Select(kv => new MemoryEntry(kv.Key.Split(Version1KeySeparator), kv.Value)).Where(e => e.Prompts.Count == depth).ToArray();
    }
}
