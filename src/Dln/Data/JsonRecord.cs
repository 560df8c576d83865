using System.Text.Json;

namespace DeepLanguageNetworks;

/// <summary>
/// The string fields of one JSON object of a data file, read with <see cref="Utf8JsonReader"/>, plus where the object
/// is, so that a missing, wrong or undecodable field is reported with file, line, element index and field.
/// </summary>
internal sealed class JsonRecord : IExampleRecord
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonTokenType> _otherKinds = new(StringComparer.Ordinal);

    private JsonRecord(string source, long lineNumber, int? elementIndex)
    {
        Source = source;
        LineNumber = lineNumber;
        ElementIndex = elementIndex;
    }

    public string Source { get; }

    public long LineNumber { get; }

    public int? ElementIndex { get; }

    /// <summary>
    /// A short place for <see cref="Example.Source"/>: <c>folder/file:line</c> for JSON Lines, <c>folder/file[index]</c>
    /// for array elements (the published JSON files are one line long, so the index is what finds the item).
    /// </summary>
    public string Location => ElementIndex is null
        ? $"{DataSource.ShortName(Source)}:{LineNumber}"
        : $"{DataSource.ShortName(Source)}[{ElementIndex}]";

    /// <summary>
    /// Reads the object that starts at the reader's current <see cref="JsonTokenType.StartObject"/> token. A string
    /// that is not valid UTF-8 (or an escaped lone surrogate) is an error naming its line and field, never replaced.
    /// </summary>
    public static JsonRecord Read(ref Utf8JsonReader reader, string source, LineIndex lines, long lineOffset, int? elementIndex)
    {
        var line = lineOffset + lines.LineAt(reader.TokenStartIndex);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new DatasetFormatException(source, line, elementIndex, null, $"expected a JSON object, found {Describe(reader.TokenType)}");
        }

        var record = new JsonRecord(source, line, elementIndex);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = record.DecodeString(ref reader, lines, lineOffset, field: null);
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                record._strings[name] = record.DecodeString(ref reader, lines, lineOffset, name);
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

    public string GetText(string field, bool allowEmpty)
    {
        if (_strings.TryGetValue(field, out var value))
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
        new(Source, LineNumber, ElementIndex, field, problem);

    /// <summary>Turns a parser error into a <see cref="DatasetFormatException"/>; <paramref name="lineOffset"/> is added to the parser's 0-based line.</summary>
    public static DatasetFormatException InvalidJson(string source, JsonException exception, long lineOffset, int? elementIndex)
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
        return new DatasetFormatException(source, line, elementIndex, null, $"invalid JSON{column}: {message}", exception);
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

    private string DecodeString(ref Utf8JsonReader reader, LineIndex lines, long lineOffset, string? field)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            // The line of the string itself: an object may span lines, and the bad bytes are where the string is.
            var line = lineOffset + lines.LineAt(reader.TokenStartIndex);
            var raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
            var problem = Utf8Text.FirstInvalidByte(raw) is { } bad
                ? $"is not valid UTF-8: byte 0x{raw[bad]:X2} at byte {lines.ColumnAt(reader.TokenStartIndex + 1 + bad)} of the line (save the file as UTF-8)"
                : $"is not valid text: {exception.Message}";
            var what = field is null ? "a field name " + problem : problem;
            throw new DatasetFormatException(Source, line, ElementIndex, field, what, exception);
        }
    }
}
