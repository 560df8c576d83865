using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>
/// The JSON of <see cref="TrainingCheckpoint"/>. Version 2 (written now) keeps the measured dev accuracies as a list of
/// prompt sets, leaves out the best dev accuracy before any validation and calls the patience spent
/// <c>validationsWithoutImprovement</c>. Version 1, written by earlier releases, joined each prompt set into one key
/// with U+241E, wrote −1 for "no validation yet" and called the count <c>patience</c>; it is upgraded when read.
/// </summary>
internal static class CheckpointDocument
{
    private const char Version1KeySeparator = '\u241E';

    private static readonly JsonSerializerOptions JsonOptions = CreateOptions();

    public static string Write(TrainingCheckpoint checkpoint) => JsonSerializer.Serialize(checkpoint, JsonOptions);

    public static TrainingCheckpoint Read(string json, string where)
    {
        TrainingCheckpoint? checkpoint;
        try
        {
            var document = JsonNode.Parse(json);
            if (document is JsonObject root)
            {
                var version = root["schemaVersion"] is JsonValue v && v.TryGetValue<int>(out var number) ? number : 1;
                if (version > TrainingCheckpoint.CurrentSchemaVersion)
                {
                    throw new InvalidDataException(
                        $"The checkpoint '{where}' has schema version {version}; this version of Dln reads version {TrainingCheckpoint.CurrentSchemaVersion} or older. Update the Dln package.");
                }

                if (version <= 1)
                {
                    UpgradeVersion1(root);
                }
            }

            checkpoint = document?.Deserialize<TrainingCheckpoint>(JsonOptions);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? $" at line {l + 1}" : string.Empty;
            throw new InvalidDataException($"The checkpoint '{where}' is truncated or malformed{line}: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            // A record that checks its own fields (the metric's name) refused a value.
            throw new InvalidDataException($"The checkpoint '{where}' is inconsistent: metric: {ex.Message}", ex);
        }

        if (checkpoint is null)
        {
            throw new InvalidDataException($"The checkpoint '{where}' is empty.");
        }

        var problem = FindProblem(checkpoint);
        return problem is null ? checkpoint : throw new InvalidDataException($"The checkpoint '{where}' is inconsistent: {problem}.");
    }

    private static void UpgradeVersion1(JsonObject root)
    {
        // Version 1 always wrote a best dev accuracy, −1 before any validation.
        if (!root.TryGetPropertyValue("bestDevAccuracy", out var best))
        {
            throw new JsonException("The version 1 checkpoint lacks its required property 'bestDevAccuracy'.");
        }

        if (best is JsonValue value && value.TryGetValue<double>(out var accuracy) && accuracy < 0)
        {
            root.Remove("bestDevAccuracy");
        }

        if (root.TryGetPropertyValue("patience", out var patience))
        {
            root.Remove("patience");
            root["validationsWithoutImprovement"] = patience;
        }

        // A key that does not split into one prompt per layer (a prompt that held U+241E itself) is dropped: the
        // accuracy is only a cache, measured again if those prompts come back.
        if (root["devAccuracies"] is JsonObject keyed)
        {
            var depth = root["depth"] is JsonValue d && d.TryGetValue<int>(out var layers) ? layers : (int?)null;
            var entries = new JsonArray();
            foreach (var (key, accuracyOfKey) in keyed)
            {
                var prompts = key.Split(Version1KeySeparator);
                if (depth is null || prompts.Length == depth)
                {
                    entries.Add(new JsonObject { ["prompts"] = new JsonArray([.. prompts.Select(p => JsonValue.Create(p))]), ["devAccuracy"] = accuracyOfKey?.DeepClone() });
                }
            }

            root["devAccuracies"] = entries;
        }

        root["schemaVersion"] = TrainingCheckpoint.CurrentSchemaVersion;
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

        if (c.Nodes is not null && (c.Nodes.Count != c.Depth || c.Nodes.Any(string.IsNullOrEmpty)))
        {
            return $"nodes has {c.Nodes.Count} entries or an empty name; expected the {c.Depth} node names";
        }

        if (!HoldsPromptSets(c.Memory, c.Depth))
        {
            return $"memory is null or has an entry without {c.Depth} prompts";
        }

        if (!HoldsPromptSets(c.DevAccuracies, c.Depth))
        {
            return $"devAccuracies is null or has an entry without {c.Depth} prompts";
        }

        if (c.DevAccuracyBounds is not null && !HoldsPromptSets(c.DevAccuracyBounds, c.Depth))
        {
            return $"devAccuracyBounds has an entry without {c.Depth} prompts";
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
}
