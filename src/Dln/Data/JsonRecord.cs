using System.Text.Json;

namespace DeepLanguageNetworks;

/// <summary>
/// The fields of one JSON object of a dataset file, read with <see cref="Utf8JsonReader"/>, plus where the object is,
/// so that a missing or wrong field can be reported with file, line and element index.
/// </summary>
internal sealed class JsonRecord
{
    private readonly Dictionary<string, string?> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonTokenType> _otherKinds = new(StringComparer.Ordinal);

    private JsonRecord(string filePath, long lineNumber, int? elementIndex)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        ElementIndex = elementIndex;
    }

    public string FilePath { get; }

    public long LineNumber { get; }

    public int? ElementIndex { get; }

    /// <summary>
    /// A short place for <see cref="Example.Source"/>: <c>folder/file:line</c> for JSON Lines, <c>folder/file[index]</c>
    /// for array elements (the published JSON files are one line long, so the index is what finds the item).
    /// </summary>
    public string Location => ElementIndex is null
        ? $"{ShortName(FilePath)}:{LineNumber}"
        : $"{ShortName(FilePath)}[{ElementIndex}]";

    /// <summary>The file name with its parent folder, for example <c>trec/train.jsonl</c>.</summary>
    public static string ShortName(string filePath)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(filePath)));
        var name = Path.GetFileName(filePath);
        return string.IsNullOrEmpty(folder) ? name : $"{folder}/{name}";
    }

    /// <summary>Reads the object that starts at the reader's current <see cref="JsonTokenType.StartObject"/> token.</summary>
    public static JsonRecord Read(ref Utf8JsonReader reader, string filePath, long lineNumber, int? elementIndex)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new DatasetFormatException(filePath, lineNumber, elementIndex, null, $"expected a JSON object, found {Describe(reader.TokenType)}");
        }

        var record = new JsonRecord(filePath, lineNumber, elementIndex);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                record._strings[name] = reader.GetString();
                record._otherKinds.Remove(name);
            }
            else
            {
                record._otherKinds[name] = reader.TokenType;
                record._strings.Remove(name);
                reader.Skip();
            }
        }

        return record;
    }

    /// <summary>The string value of <paramref name="field"/>; throws when it is missing, not a string, or (unless allowed) blank.</summary>
    public string GetRequiredString(string field, bool allowEmpty = false)
    {
        if (_strings.TryGetValue(field, out var value) && value is not null)
        {
            if (!allowEmpty && string.IsNullOrWhiteSpace(value))
            {
                throw Error(field, "is empty (expected non-empty text)");
            }

            return value;
        }

        if (_otherKinds.TryGetValue(field, out var kind))
        {
            throw Error(field, $"is {Describe(kind)} (expected a string)");
        }

        throw Error(field, "is missing (expected a string)");
    }

    public DatasetFormatException Error(string? field, string problem) =>
        new(FilePath, LineNumber, ElementIndex, field, problem);

    /// <summary>Turns a parser error into a <see cref="DatasetFormatException"/>; <paramref name="lineOffset"/> is added to the parser's 0-based line.</summary>
    public static DatasetFormatException InvalidJson(string filePath, JsonException exception, long lineOffset, int? elementIndex)
    {
        var line = (exception.LineNumber ?? 0) + lineOffset;
        var message = exception.Message;

        // The parser appends its own 0-based "LineNumber: … | BytePositionInLine: …"; the 1-based line is in our prefix.
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix >= 0)
        {
            message = message[..suffix];
        }

        var column = exception.BytePositionInLine is { } position ? $" (byte {position + 1} of the line)" : string.Empty;
        return new DatasetFormatException(filePath, line, elementIndex, null, $"invalid JSON{column}: {message}", exception);
    }

    public static string Describe(JsonTokenType kind) => kind switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.None => "the end of the file",
        _ => kind.ToString(),
    };
}
