using System.Buffers.Binary;

namespace DeepLanguageNetworks.Tests.Runs;

/// <summary>Checks the structure of a PNG file: signature, IHDR first (with the size), IEND last.</summary>
internal static class PngHeader
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The picture's width and height; fails the test when the bytes are not a complete PNG.</summary>
    public static (int Width, int Height) Read(byte[] bytes)
    {
        Assert.True(bytes.Length > 8 + 25 + 12, $"a PNG needs more than {bytes.Length} bytes");
        Assert.Equal(Signature, bytes[..8]);
        // The first chunk is IHDR: length 13, type, width, height (big-endian).
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8, 4)));
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4));
        var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4));
        // The last chunk is an empty IEND: length 0, type, CRC.
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4));
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(bytes.Length - 12, 4)));
        return (width, height);
    }
}
