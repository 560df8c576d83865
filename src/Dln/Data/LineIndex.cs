namespace DeepLanguageNetworks;

/// <summary>The line breaks of a file's bytes, so that any byte offset turns into a 1-based line and column.</summary>
internal sealed class LineIndex
{
    private readonly List<long> _lineStarts = [0];

    public LineIndex(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>One line: offsets are within that line (JSON Lines parses each line on its own).</summary>
    public static LineIndex SingleLine { get; } = new([]);

    /// <summary>The 1-based line of a byte offset.</summary>
    public long LineAt(long offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>The 1-based byte position of an offset within its line.</summary>
    public long ColumnAt(long offset) => offset - _lineStarts[(int)LineAt(offset) - 1] + 1;
}
