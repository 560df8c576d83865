using System.Text.Json;

namespace DeepLanguageNetworks;

/// <summary>
/// Reads a BIG-Bench-Hard task file: <c>{"canary": "…", "examples": [{"input": "…", "target": "…"}, …]}</c>.
/// Inputs are kept as given (they already end with an <c>Options:</c> block); targets such as <c>(A)</c> or
/// <c>Yes</c> are kept as given and compared after <see cref="AnswerNormalizer"/> normalisation.
/// </summary>
/// <remarks>
/// The BBH files carry the BIG-bench canary string; the loader ignores it, but the data must never be used to
/// train a language model.
/// </remarks>
public static class BbhLoader
{
    /// <summary>Loads the examples of a BBH file in file order.</summary>
    /// <param name="path">The <c>.json</c> file, for example <c>samples/datasets/bbh/navigate.json</c>.</param>
    /// <param name="task">When given, every target must name one of the task's classes.</param>
    /// <returns>The examples; <see cref="Example.Source"/> is <c>folder/file[index]</c>.</returns>
    /// <exception cref="DatasetFormatException">The file is not valid JSON, lacks the <c>examples</c> array, or an element lacks a non-empty <c>input</c> or <c>target</c> (or has a target outside the task's classes). The message names the file, line, element and field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IReadOnlyList<Example> Load(string path, TaskDefinition? task = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var memory = JsonFile.ReadAllBytes(path);
        var records = ReadRecords(memory.Span, path);

        var examples = new List<Example>(records.Count);
        foreach (var record in records)
        {
            var input = record.GetRequiredString("input");
            var target = record.GetRequiredString("target");
            if (task is { IsClassification: true } && task.FindClass(target) is null)
            {
                throw record.Error("target", $"has value \"{target}\", which names no class of task {task.Id} (known: {string.Join(", ", task.Classes.Select(c => c.Label))})");
            }

            examples.Add(new Example(input, target) { Source = record.Location });
        }

        return examples;
    }

    private static List<JsonRecord> ReadRecords(ReadOnlySpan<byte> json, string path)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new DatasetFormatException(
                    path, JsonFile.LineAt(json, reader.TokenStartIndex), null, null,
                    $"expected a JSON object with an \"examples\" array, found {JsonRecord.Describe(reader.TokenType)}");
            }

            List<JsonRecord>? records = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = JsonFile.GetString(ref reader, path, json);
                reader.Read();
                if (name == "examples")
                {
                    records = JsonFile.ReadObjectArray(ref reader, json, path, "examples");
                }
                else
                {
                    reader.Skip();
                }
            }

            // Reading to the end makes the parser reject anything after the object.
            while (reader.Read())
            {
            }

            if (records is null)
            {
                throw new DatasetFormatException(path, null, null, "examples", "is missing (expected an array of {\"input\", \"target\"} objects)");
            }

            if (records.Count == 0)
            {
                throw new DatasetFormatException(path, null, null, "examples", "is empty (expected at least one example)");
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
