namespace DeepLanguageNetworks;

/// <summary>
/// A dataset file does not have the expected shape. The message names the file, the line (and for JSON arrays the
/// element index), the field and what was expected, for example
/// <c>navigate.json: line 1, examples[11]: field "target" is missing (expected a string)</c>.
/// </summary>
public sealed class DatasetFormatException : FormatException
{
    /// <summary>Creates the exception with a message and no location.</summary>
    /// <param name="message">What is wrong.</param>
    public DatasetFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The parser error that revealed it.</param>
    public DatasetFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a place in a file; the message is composed from the parts.</summary>
    /// <param name="filePath">The file, as given to the loader.</param>
    /// <param name="lineNumber">The 1-based line, or <see langword="null"/> when unknown.</param>
    /// <param name="elementIndex">The 0-based index of the element in its JSON array, or <see langword="null"/>.</param>
    /// <param name="field">The field concerned, or <see langword="null"/>.</param>
    /// <param name="problem">What is wrong and what was expected.</param>
    /// <param name="innerException">The parser error, if any.</param>
    public DatasetFormatException(
        string filePath, long? lineNumber, int? elementIndex, string? field, string problem, Exception? innerException = null)
        : base(Compose(filePath, lineNumber, elementIndex, field, problem), innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        ElementIndex = elementIndex;
        Field = field;
    }

    /// <summary>The file, as given to the loader, or <see langword="null"/>.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line, or <see langword="null"/>.</summary>
    public long? LineNumber { get; }

    /// <summary>The 0-based index of the element in its JSON array, or <see langword="null"/>.</summary>
    public int? ElementIndex { get; }

    /// <summary>The field concerned, or <see langword="null"/>.</summary>
    public string? Field { get; }

    private static string Compose(string filePath, long? lineNumber, int? elementIndex, string? field, string problem)
    {
        var location = filePath;
        if (lineNumber is not null)
        {
            location += $": line {lineNumber}";
        }

        if (elementIndex is not null)
        {
            location += lineNumber is null ? $": element {elementIndex}" : $", element {elementIndex}";
        }

        return field is null ? $"{location}: {problem}" : $"{location}: field \"{field}\" {problem}";
    }
}
