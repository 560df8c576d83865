using System.Text;
using System.Text.Json;

namespace DeepLanguageNetworks;

/// <summary>Shared plumbing of the loaders: reading a file's bytes and turning byte offsets into line numbers.</summary>
internal static class JsonFile
{
    /// <summary>The file's bytes without a UTF-8 byte-order mark.</summary>
    public static ReadOnlyMemory<byte> ReadAllBytes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var preamble = Encoding.UTF8.Preamble;
        return bytes.AsSpan().StartsWith(preamble) ? bytes.AsMemory(preamble.Length) : bytes.AsMemory();
    }

    /// <summary>Reads one JSON object per non-blank line of a JSON Lines file.</summary>
    public static IEnumerable<JsonRecord> ReadJsonLines(string path)
    {
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ParseLine(path, lineNumber, line);
        }
    }

    /// <summary>
    /// Reads the elements of a JSON array whose start token the reader is on; <paramref name="arrayField"/> names the
    /// property holding the array in errors, or is <see langword="null"/> for a top-level array.
    /// </summary>
    public static List<JsonRecord> ReadObjectArray(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string path, string? arrayField)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            var problem = $"{(arrayField is null ? "the file holds" : "is")} {JsonRecord.Describe(reader.TokenType)} (expected an array of objects)";
            throw new DatasetFormatException(path, LineAt(json, reader.TokenStartIndex), null, arrayField, problem);
        }

        var records = new List<JsonRecord>();
        var lines = new LineCounter(json);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var line = lines.LineAt(reader.TokenStartIndex);
            records.Add(JsonRecord.Read(ref reader, path, line, records.Count));
        }

        return records;
    }

    /// <summary>The 1-based line of a byte offset.</summary>
    public static long LineAt(ReadOnlySpan<byte> json, long offset) => new LineCounter(json).LineAt(offset);

    /// <summary>Reads a string with the reader, reporting undecodable text as a format error.</summary>
    public static string? GetString(ref Utf8JsonReader reader, string path, ReadOnlySpan<byte> json)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException exception)
        {
            throw new DatasetFormatException(path, LineAt(json, reader.TokenStartIndex), null, null, $"unreadable string: {exception.Message}", exception);
        }
    }

    private static JsonRecord ParseLine(string path, long lineNumber, string line)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
        try
        {
            reader.Read();
            var record = JsonRecord.Read(ref reader, path, lineNumber, null);

            // Only one value per line; the reader rejects a second one.
            while (reader.Read())
            {
            }

            return record;
        }
        catch (JsonException exception)
        {
            throw JsonRecord.InvalidJson(path, exception, lineNumber, null);
        }
        catch (InvalidOperationException exception)
        {
            throw new DatasetFormatException(path, lineNumber, null, null, $"unreadable JSON: {exception.Message}", exception);
        }
    }

    /// <summary>Counts newlines up to increasing offsets, so that a whole file is scanned once.</summary>
    private ref struct LineCounter(ReadOnlySpan<byte> json)
    {
        private readonly ReadOnlySpan<byte> _json = json;
        private long _position;
        private long _line = 1;

        public long LineAt(long offset)
        {
            if (offset < _position)
            {
                _position = 0;
                _line = 1;
            }

            var end = (int)Math.Min(offset, _json.Length);
            _line += _json[(int)_position..end].Count((byte)'\n');
            _position = end;
            return _line;
        }
    }
}
