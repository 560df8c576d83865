using System.Text;

namespace DeepLanguageNetworks;

/// <summary>Strict UTF-8: bytes are decoded only when valid, so that a damaged file is reported, never silently repaired.</summary>
internal static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The offset of the first byte of the first invalid sequence, or <see langword="null"/> when all is valid.</summary>
    public static int? FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return null;
    }

    /// <summary>Decodes valid UTF-8 (callers check <see cref="FirstInvalidByte"/> first to report where it is not).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) => Strict.GetString(bytes);

    /// <summary>The bytes without a leading UTF-8 byte-order mark.</summary>
    public static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> bytes) =>
        bytes.Span.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes;
}
