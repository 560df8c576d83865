using System.Buffers.Binary;
using System.Text;

namespace DeepLanguageNetworks.LlamaSharp.Tests;

/// <summary>
/// Copies a GGUF file with one string metadata entry added or replaced (for example <c>tokenizer.chat_template</c>).
/// Test code: it reads only what it must move.
/// </summary>
/// <remarks>
/// GGUF (versions 2 and 3, little-endian) is: the magic <c>GGUF</c>, a uint32 version, a uint64 tensor count and a uint64
/// metadata count; the metadata entries (a string key, a uint32 value type, the value); the tensor infos (a string name,
/// a uint32 dimension count, that many uint64 dimensions, a uint32 tensor type, a uint64 offset into the data section);
/// padding up to <c>general.alignment</c> (32 when absent); then the data section. A string is a uint64 byte length and
/// UTF-8 bytes; an array a uint32 element type, a uint64 count and the elements. Tensor offsets are relative to the data
/// section, so the infos are copied unchanged and only the padding before the data is recomputed.
/// </remarks>
internal static class GgufMetadataRewriter
{
    private const uint StringType = 8;
    private const uint ArrayType = 9;
    private const int DefaultAlignment = 32;

    /// <summary>Writes a copy of <paramref name="source"/> to <paramref name="destination"/> with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public static void WriteWithString(string source, string destination, string key, string value)
    {
        var file = File.ReadAllBytes(source);
        if (file.Length < 24 || !file.AsSpan(0, 4).SequenceEqual("GGUF"u8))
        {
            throw new InvalidDataException($"'{source}' is not a GGUF file.");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        if (version is not (2 or 3))
        {
            throw new InvalidDataException($"GGUF version {version} is not supported by this test helper.");
        }

        var tensorCount = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(8));
        var metadataCount = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(16));
        var position = 24;
        var kept = new List<(int Start, int End)>();
        var alignment = DefaultAlignment;
        for (ulong i = 0; i < metadataCount; i++)
        {
            var start = position;
            var name = ReadString(file, ref position);
            var type = ReadUInt32(file, ref position);
            if (name == "general.alignment" && type == 4)
            {
                alignment = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position));
            }

            SkipValue(file, type, ref position);
            if (name != key)
            {
                kept.Add((start, position));
            }
        }

        var tensorInfosStart = position;
        for (ulong i = 0; i < tensorCount; i++)
        {
            ReadString(file, ref position);
            var dimensions = ReadUInt32(file, ref position);
            position += (8 * (int)dimensions) + 4 + 8;
        }

        var tensorInfosEnd = position;
        var dataStart = Align(tensorInfosEnd, alignment);

        using var output = new MemoryStream();
        using (var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("GGUF"u8);
            writer.Write(version);
            writer.Write(tensorCount);
            writer.Write((ulong)kept.Count + 1);
            foreach (var (start, end) in kept)
            {
                writer.Write(file, start, end - start);
            }

            WriteString(writer, key);
            writer.Write(StringType);
            WriteString(writer, value);
            writer.Write(file, tensorInfosStart, tensorInfosEnd - tensorInfosStart);
            writer.Flush();
            while (output.Length % alignment != 0)
            {
                writer.Write((byte)0);
            }

            writer.Write(file, dataStart, file.Length - dataStart);
        }

        File.WriteAllBytes(destination, output.ToArray());
    }

    private static int Align(int offset, int alignment) => (offset + alignment - 1) / alignment * alignment;

    private static uint ReadUInt32(byte[] file, ref int position)
    {
        var value = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position));
        position += 4;
        return value;
    }

    private static string ReadString(byte[] file, ref int position)
    {
        var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(position)));
        position += 8;
        var text = Encoding.UTF8.GetString(file, position, length);
        position += length;
        return text;
    }

    private static void SkipValue(byte[] file, uint type, ref int position)
    {
        switch (type)
        {
            case StringType:
                ReadString(file, ref position);
                break;
            case ArrayType:
                var elementType = ReadUInt32(file, ref position);
                var count = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(position));
                position += 8;
                for (ulong i = 0; i < count; i++)
                {
                    SkipValue(file, elementType, ref position);
                }

                break;
            default:
                position += ScalarSize(type);
                break;
        }
    }

    private static int ScalarSize(uint type) => type switch
    {
        0 or 1 or 7 => 1,    // uint8, int8, bool
        2 or 3 => 2,         // uint16, int16
        4 or 5 or 6 => 4,    // uint32, int32, float32
        10 or 11 or 12 => 8, // uint64, int64, float64
        _ => throw new InvalidDataException($"Unknown GGUF value type {type}."),
    };

    private static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }
}
