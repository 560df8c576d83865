using CsvHelper;

namespace DeepLanguageNetworks;

/// <summary>
/// Reads the rows of a CSV (or TSV) file with a header row through CsvHelper, which parses the UTF-8 bytes itself
/// (RFC 4180 quoting: separators, quotes and line breaks inside quoted fields). Malformed quoting and rows whose
/// field count differs from the header are errors, and so is a field that is not valid UTF-8: each names the line.
/// </summary>
internal static class CsvFile
{
    public static List<IExampleRecord> Read(ReadOnlyMemory<byte> bytes, string source, char separator, IReadOnlyList<string> fields)
    {
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
        };

        var records = new List<IExampleRecord>();
        try
        {
            using var reader = CsvReader.Create(bytes, options);
            var header = reader.Headers;
            if (header.Count == 0 || header.All(string.IsNullOrWhiteSpace))
            {
                throw new DatasetFormatException(source, 1, null, null, "has no header row (expected the column names on line 1)");
            }

            var columns = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var field in fields)
            {
                var index = IndexOf(header, field);
                if (index < 0)
                {
                    throw new DatasetFormatException(
                        source, 1, null, field, $"is missing from the header (columns: {string.Join(", ", header.Select(h => $"\"{h}\""))})");
                }

                columns[field] = index;
            }

            while (reader.Read())
            {
                records.Add(CsvRecord.Read(reader, source, columns));
            }
        }
        catch (CsvFormatException exception)
        {
            var line = exception.LineNumber > 0 ? exception.LineNumber : (long?)null;
            throw new DatasetFormatException(source, line, null, null, $"malformed CSV: {Describe(exception)}", exception);
        }

        return records;
    }

    // Header names match exactly first, then ignoring case and surrounding spaces (as spreadsheets write them).
    private static int IndexOf(IReadOnlyList<string> header, string field)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], field, StringComparison.Ordinal))
            {
                return i;
            }
        }

        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), field.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Describe(CsvFormatException exception)
    {
        // CsvHelper's message already says what is wrong and where; the line is in our prefix, and a quoting hint helps.
        var message = exception.Message.TrimEnd('.');
        return message + ". A field that holds the separator, a quote or a line break must be enclosed in double quotes, with quotes inside it doubled (\"\")";
    }

    private sealed class CsvRecord : IExampleRecord
    {
        private readonly string _source;
        private readonly long _line;
        private readonly Dictionary<string, string> _values;

        private CsvRecord(string source, long line, Dictionary<string, string> values)
        {
            _source = source;
            _line = line;
            _values = values;
        }

        public string Location => $"{DataSource.ShortName(_source)}:{_line}";

        public static CsvRecord Read(CsvReader reader, string source, Dictionary<string, int> columns)
        {
            var line = reader.LineNumber;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (field, index) in columns)
            {
                var value = reader.GetSpan(index);
                if (Utf8Text.FirstInvalidByte(value) is not null)
                {
                    // The line of the bad byte itself: a quoted field may span lines.
                    var raw = reader.GetRawSpan(index);
                    var bad = Utf8Text.FirstInvalidByte(raw) ?? 0;
                    var badLine = line + LineBreaksBefore(reader, index) + LineBreaks(raw[..bad]);
                    throw new DatasetFormatException(source, badLine, null, field, $"is not valid UTF-8: byte 0x{raw[bad]:X2} (save the file as UTF-8)");
                }

                values[field] = Utf8Text.Decode(value);
            }

            return new CsvRecord(source, line, values);
        }

        public string GetText(string field, bool allowEmpty)
        {
            var value = _values[field];
            if (!allowEmpty && string.IsNullOrWhiteSpace(value))
            {
                throw Error(field, "is empty (expected non-empty text)");
            }

            return value;
        }

        public DatasetFormatException Error(string? field, string problem) => new(_source, _line, null, field, problem);

        private static long LineBreaksBefore(CsvReader reader, int index)
        {
            long count = 0;
            for (var i = 0; i < index; i++)
            {
                count += LineBreaks(reader.GetRawSpan(i));
            }

            return count;
        }

        // CR, LF and CR LF each end one line, as CsvHelper counts them.
        private static long LineBreaks(ReadOnlySpan<byte> bytes)
        {
            long count = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n' || (bytes[i] == (byte)'\r' && (i + 1 == bytes.Length || bytes[i + 1] != (byte)'\n')))
                {
                    count++;
                }
            }

            return count;
        }
    }
}
