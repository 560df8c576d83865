namespace DeepLanguageNetworks;

/// <summary>Reading a data file or stream whole, and naming it in errors and example sources.</summary>
internal static class DataSource
{
    /// <summary>The file's bytes without a UTF-8 byte-order mark.</summary>
    public static ReadOnlyMemory<byte> ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Utf8Text.WithoutByteOrderMark(File.ReadAllBytes(path));
    }

    /// <summary>The stream's remaining bytes without a UTF-8 byte-order mark.</summary>
    public static ReadOnlyMemory<byte> ReadStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Utf8Text.WithoutByteOrderMark(copy.GetBuffer().AsMemory(0, (int)copy.Length));
    }

    /// <summary>The file name with its parent folder, for example <c>trec/train.jsonl</c>.</summary>
    public static string ShortName(string source)
    {
        var normalized = source.Replace('\\', '/');
        var name = Path.GetFileName(normalized);
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.IsPathRooted(normalized) ? normalized : Path.GetFullPath(normalized)));
        return string.IsNullOrEmpty(folder) ? name : $"{folder}/{name}";
    }
}
