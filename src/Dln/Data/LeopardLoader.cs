using System.Text.Json;

namespace DeepLanguageNetworks;

/// <summary>
/// Reads a Leopard evaluation file: a JSON array of <c>{"sentence1": "…", "label": "…", "processed_sent": "…"}</c>.
/// Each example's input is <see cref="TaskDefinition.FormatInput(string)"/> of <c>sentence1</c> (task question, tweet,
/// options block) and its target is the mapped label (for example <c>Relevant</c> → <c>yes</c>).
/// <c>processed_sent</c> is not used. Tweets are kept byte for byte, mojibake included, as in the published files.
/// </summary>
/// <remarks>The Leopard files carry no licence: use them for tests and samples only, never ship them in a package.</remarks>
public static class LeopardLoader
{
    /// <summary>Loads and formats the examples of a Leopard file in file order.</summary>
    /// <param name="path">The file, for example <c>samples/datasets/leopard/disaster/disaster_eval.json</c>.</param>
    /// <param name="task">The task whose label mapping and question apply, for example <c>PaperTasks.Get("disaster")</c>.</param>
    /// <returns>The examples; <see cref="Example.Source"/> is <c>folder/file[index]</c>.</returns>
    /// <exception cref="DatasetFormatException">The file is not a JSON array of objects, or an element lacks a non-empty <c>sentence1</c> or a known <c>label</c>. The message names the file, line, element and field.</exception>
    /// <exception cref="ArgumentException">The task has no label mapping.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IReadOnlyList<Example> Load(string path, TaskDefinition task)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(task);
        LabelMapper.RequireMapping(task);

        var memory = JsonFile.ReadAllBytes(path);
        var records = ReadRecords(memory.Span, path);

        var examples = new List<Example>(records.Count);
        foreach (var record in records)
        {
            var sentence = record.GetRequiredString("sentence1");
            var target = LabelMapper.Map(record, "label", task);
            examples.Add(new Example(task.FormatInput(sentence), target) { Source = record.Location });
        }

        return examples;
    }

    private static List<JsonRecord> ReadRecords(ReadOnlySpan<byte> json, string path)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read())
            {
                throw new DatasetFormatException(path, null, null, null, "is empty (expected a JSON array of {\"sentence1\", \"label\"} objects)");
            }

            var records = JsonFile.ReadObjectArray(ref reader, json, path, arrayField: null);
            while (reader.Read())
            {
            }

            if (records.Count == 0)
            {
                throw new DatasetFormatException(path, null, null, null, "has an empty array (expected at least one example)");
            }

            return records;
        }
        catch (JsonException exception)
        {
            throw JsonRecord.InvalidJson(path, exception, 1, null);
        }
        catch (InvalidOperationException exception)
        {
            throw new DatasetFormatException(path, null, null, null, $"unreadable JSON: {exception.Message}", exception);
        }
    }
}
