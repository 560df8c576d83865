using System.Text.Json;

namespace DeepLanguageNetworks;

/// <summary>Reads the records of JSON Lines files (one object per line) and of JSON files holding an array of objects.</summary>
internal static class JsonFile
{
    /// <summary>One record per non-blank line; each line is parsed from its bytes, so a line's number is exact and its text is never re-decoded.</summary>
    public static List<JsonRecord> ReadJsonLines(ReadOnlyMemory<byte> bytes, string source)
    {
        var records = new List<JsonRecord>();
        var rest = bytes.Span;
        long lineNumber = 0;
        while (!rest.IsEmpty)
        {
            lineNumber++;
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            records.Add(ParseLine(line, source, lineNumber));
        }

        return records;
    }

    /// <summary>
    /// The objects of the array at the top level (<paramref name="arrayProperty"/> null) or in a top-level object's
    /// property; other properties are skipped.
    /// </summary>
    public static List<JsonRecord> ReadArray(ReadOnlyMemory<byte> bytes, string source, string? arrayProperty)
    {
        var json = bytes.Span;
        var lines = new LineIndex(json);
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read())
            {
                throw new DatasetFormatException(source, null, null, null, "is empty (expected a JSON array of objects)");
            }

            List<JsonRecord>? records;
            if (arrayProperty is null)
            {
                records = ReadObjectArray(ref reader, lines, source, arrayField: null);
            }
            else
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new DatasetFormatException(
                        source, lines.LineAt(reader.TokenStartIndex), null, null,
                        $"expected a JSON object with an \"{arrayProperty}\" array, found {JsonRecord.Describe(reader.TokenType)}");
                }

                records = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = PropertyName(ref reader, lines, source);
                    reader.Read();
                    if (name == arrayProperty)
                    {
                        records = ReadObjectArray(ref reader, lines, source, arrayProperty);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }

            // Reading to the end makes the parser reject anything after the value.
            while (reader.Read())
            {
            }

            if (records is null)
            {
                throw new DatasetFormatException(source, null, null, arrayProperty, "is missing (expected an array of objects)");
            }

            if (records.Count == 0)
            {
                throw arrayProperty is null
                    ? new DatasetFormatException(source, null, null, null, "has an empty array (expected at least one example)")
                    : new DatasetFormatException(source, null, null, arrayProperty, "is empty (expected at least one example)");
            }

            return records;
        }
        catch (JsonException exception)
        {
            throw JsonRecord.InvalidJson(source, exception, 1, null);
        }
    }

    private static List<JsonRecord> ReadObjectArray(ref Utf8JsonReader reader, LineIndex lines, string source, string? arrayField)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            var problem = $"{(arrayField is null ? "the file holds" : "is")} {JsonRecord.Describe(reader.TokenType)} (expected an array of objects)";
            throw new DatasetFormatException(source, lines.LineAt(reader.TokenStartIndex), null, arrayField, problem);
        }

        var records = new List<JsonRecord>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            records.Add(JsonRecord.Read(ref reader, source, lines, 0, records.Count));
        }

        return records;
    }

    private static string PropertyName(ref Utf8JsonReader reader, LineIndex lines, string source)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            throw new DatasetFormatException(source, lines.LineAt(reader.TokenStartIndex), null, null, "a field name is not valid UTF-8 (save the file as UTF-8)", exception);
        }
    }

    private static JsonRecord ParseLine(ReadOnlySpan<byte> line, string source, long lineNumber)
    {
        var reader = new Utf8JsonReader(line);
        try
        {
            reader.Read();
            var record = JsonRecord.Read(ref reader, source, LineIndex.SingleLine, lineNumber - 1, null);

            // Only one value per line; the reader rejects a second one.
            while (reader.Read())
            {
            }

            return record;
        }
        catch (JsonException exception)
        {
            throw JsonRecord.InvalidJson(source, exception, lineNumber, null);
        }
    }
}
