namespace DeepLanguageNetworks;

/// <summary>
/// Reads examples from a data file of your own: JSON Lines (one object per line), JSON (an array of objects, at the
/// top level or in a property), or CSV/TSV with a header row. <see cref="ExampleFields"/> says which field is the input
/// (or renders it from several) and which the target.
/// </summary>
/// <remarks>
/// Files are read as strict UTF-8 (a leading byte-order mark is skipped): a byte sequence that is not valid UTF-8 is
/// an error that names the file, line and field, never replaced. Every other error is a
/// <see cref="DatasetFormatException"/> naming the file, the line (for JSON arrays also the element index), the field
/// and what was expected: invalid JSON, malformed CSV quoting, a row whose field count differs from the header, a
/// missing, empty or non-string field, an unknown label or a target outside the classes. JSON values must be strings.
/// <see cref="Example.Source"/> of each example is <c>folder/file:line</c> (<c>folder/file[index]</c> for JSON arrays).
/// </remarks>
public static class ExampleFile
{
    /// <summary>
    /// Reads a file by its extension: <c>.jsonl</c> (or <c>.ndjson</c>) as JSON Lines, <c>.json</c> as a top-level
    /// array of objects, <c>.csv</c> as comma-separated and <c>.tsv</c> as tab-separated values.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="fields">Which fields are the input and the target.</param>
    /// <param name="classes">When given with classes, every target must name one of them (after <see cref="ExampleFields.TargetLabels"/>).</param>
    /// <returns>The examples in file order.</returns>
    /// <exception cref="ArgumentException">The extension is none of those.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DatasetFormatException">The file is malformed; the message names the file, line and field.</exception>
    public static IReadOnlyList<Example> Read(string path, ExampleFields fields, OutputSpace? classes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => ReadJsonLines(path, fields, classes),
            ".json" => ReadJson(path, fields, classes: classes),
            ".csv" => ReadCsv(path, fields, ',', classes),
            ".tsv" => ReadCsv(path, fields, '\t', classes),
            var other => throw new ArgumentException(
                $"\"{path}\": cannot tell the format from the extension \"{other}\" (expected .jsonl, .json, .csv or .tsv); call ReadJsonLines, ReadJson or ReadCsv.", nameof(path)),
        };
    }

    /// <summary>Reads a JSON Lines file: one JSON object per line; blank lines are skipped.</summary>
    /// <param name="path">The file.</param>
    /// <param name="fields">Which fields are the input and the target.</param>
    /// <param name="classes">When given with classes, every target must name one of them.</param>
    /// <returns>The examples in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DatasetFormatException">The file is malformed or has no example.</exception>
    public static IReadOnlyList<Example> ReadJsonLines(string path, ExampleFields fields, OutputSpace? classes = null) =>
        ReadJsonLines(DataSource.ReadFile(path), path, fields, classes, owner: null);

    /// <summary>Reads JSON Lines from a stream (for example an embedded resource); <paramref name="sourceName"/> stands for the file in errors and sources.</summary>
    /// <param name="stream">The data, read to its end; not disposed.</param>
    /// <param name="sourceName">A name for the data, for example <c>tickets/train.jsonl</c>.</param>
    /// <param name="fields">Which fields are the input and the target.</param>
    /// <param name="classes">When given with classes, every target must name one of them.</param>
    /// <returns>The examples in stream order.</returns>
    /// <exception cref="DatasetFormatException">The data is malformed or has no example.</exception>
    public static IReadOnlyList<Example> ReadJsonLines(Stream stream, string sourceName, ExampleFields fields, OutputSpace? classes = null) =>
        ReadJsonLines(DataSource.ReadStream(stream), sourceName, fields, classes, owner: null);

    /// <summary>Reads a JSON file that holds an array of objects, at the top level or in the property <paramref name="arrayProperty"/> of a top-level object (for example <c>examples</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="fields">Which fields are the input and the target.</param>
    /// <param name="arrayProperty">The property that holds the array, or <see langword="null"/> for a top-level array.</param>
    /// <param name="classes">When given with classes, every target must name one of them.</param>
    /// <returns>The examples in array order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DatasetFormatException">The file is malformed or the array is missing or empty.</exception>
    public static IReadOnlyList<Example> ReadJson(string path, ExampleFields fields, string? arrayProperty = null, OutputSpace? classes = null) =>
        ReadJson(DataSource.ReadFile(path), path, fields, arrayProperty, classes, owner: null);

    /// <summary>Reads a JSON array of objects from a stream; <paramref name="sourceName"/> stands for the file in errors and sources.</summary>
    /// <param name="stream">The data, read to its end; not disposed.</param>
    /// <param name="sourceName">A name for the data.</param>
    /// <param name="fields">Which fields are the input and the target.</param>
    /// <param name="arrayProperty">The property that holds the array, or <see langword="null"/> for a top-level array.</param>
    /// <param name="classes">When given with classes, every target must name one of them.</param>
    /// <returns>The examples in array order.</returns>
    /// <exception cref="DatasetFormatException">The data is malformed or the array is missing or empty.</exception>
    public static IReadOnlyList<Example> ReadJson(Stream stream, string sourceName, ExampleFields fields, string? arrayProperty = null, OutputSpace? classes = null) =>
        ReadJson(DataSource.ReadStream(stream), sourceName, fields, arrayProperty, classes, owner: null);

    /// <summary>Reads a CSV file with a header row (RFC 4180 quoting). Header names match exactly, else ignoring case and surrounding spaces.</summary>
    /// <param name="path">The file.</param>
    /// <param name="fields">Which columns are the input and the target.</param>
    /// <param name="separator">The field separator: <c>,</c> by default, <c>\t</c> for TSV, <c>;</c> for some spreadsheets.</param>
    /// <param name="classes">When given with classes, every target must name one of them.</param>
    /// <returns>The examples in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DatasetFormatException">The file is malformed (quoting, field counts, UTF-8), lacks a column, or has no row.</exception>
    public static IReadOnlyList<Example> ReadCsv(string path, ExampleFields fields, char separator = ',', OutputSpace? classes = null) =>
        ReadCsv(DataSource.ReadFile(path), path, fields, separator, classes);

    /// <summary>Reads CSV with a header row from a stream; <paramref name="sourceName"/> stands for the file in errors and sources.</summary>
    /// <param name="stream">The data, read to its end; not disposed.</param>
    /// <param name="sourceName">A name for the data.</param>
    /// <param name="fields">Which columns are the input and the target.</param>
    /// <param name="separator">The field separator.</param>
    /// <param name="classes">When given with classes, every target must name one of them.</param>
    /// <returns>The examples in stream order.</returns>
    /// <exception cref="DatasetFormatException">The data is malformed, lacks a column, or has no row.</exception>
    public static IReadOnlyList<Example> ReadCsv(Stream stream, string sourceName, ExampleFields fields, char separator = ',', OutputSpace? classes = null) =>
        ReadCsv(DataSource.ReadStream(stream), sourceName, fields, separator, classes);

    /// <summary>JSON Lines with an owner named in label and class errors (the paper's tasks).</summary>
    internal static List<Example> ReadJsonLines(ReadOnlyMemory<byte> bytes, string source, ExampleFields fields, OutputSpace? classes, string? owner)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var examples = new ExampleMapper(fields, classes, owner).Map(JsonFile.ReadJsonLines(bytes, source));
        return examples.Count > 0
            ? examples
            : throw new DatasetFormatException(source, null, null, null, "has no examples (expected one JSON object per line)");
    }

    /// <summary>A JSON array with an owner named in label and class errors (the paper's tasks).</summary>
    internal static List<Example> ReadJson(ReadOnlyMemory<byte> bytes, string source, ExampleFields fields, string? arrayProperty, OutputSpace? classes, string? owner)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return new ExampleMapper(fields, classes, owner).Map(JsonFile.ReadArray(bytes, source, arrayProperty));
    }

    private static List<Example> ReadCsv(ReadOnlyMemory<byte> bytes, string source, ExampleFields fields, char separator, OutputSpace? classes)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var examples = new ExampleMapper(fields, classes, owner: null).Map(CsvFile.Read(bytes, source, separator, [.. fields.InputFields, fields.Target]));
        return examples.Count > 0
            ? examples
            : throw new DatasetFormatException(source, null, null, null, "has a header but no rows (expected one example per row)");
    }
}
