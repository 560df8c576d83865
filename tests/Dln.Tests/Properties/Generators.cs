using FsCheck;
using FsCheck.Fluent;

namespace DeepLanguageNetworks.Tests.Properties;

/// <summary>The FsCheck generators shared by the property tests: texts that stress templates, JSON and normalisation.</summary>
internal static class Generators
{
    private static readonly char[] Awkward = ['{', '}', '\n', '\r', '\t', ' ', '"', '\\', '\u0000', '\u001f', '\u2028', 'é', 'ß', '日', 'İ', 'ǅ', 'Σ', '_', '0', '9', '(', ')', '.'];

    private static readonly string[] Pieces = ["{input}", "{prompt}", "{hidden}", "{{", "}}", "{", "}", "🙂", "Answer:", "\n\n", "option", "Option B", "[END]", "> ", "## "];

    /// <summary>Any UTF-16 code unit, lone surrogates included.</summary>
    public static Gen<char> AnyChar { get; } = Gen.Frequency(
        (6, Gen.Choose(32, 126).Select(i => (char)i)),
        (3, Gen.Elements(Awkward)),
        (1, Gen.Choose(0, 0xFFFF).Select(i => (char)i)));

    /// <summary>Valid UTF-16: like <see cref="AnyChar"/>, but surrogates only in pairs (as text decoded from UTF-8 always is).</summary>
    public static Gen<string> ValidText { get; } = TextOf(AnyChar.Where(c => !char.IsSurrogate(c)).Select(c => c.ToString()));

    /// <summary>Any string, including braces, placeholders, markup, unicode, control characters and lone surrogates.</summary>
    public static Gen<string> AnyText { get; } = TextOf(AnyChar.Select(c => c.ToString()));

    /// <summary>A short non-empty word of letters (class labels and spellings).</summary>
    public static Gen<string> Word { get; } = Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzÉéß日".ToCharArray()), n)).Select(cs => new string(cs));

    private static Gen<string> TextOf(Gen<string> unit) =>
        Gen.Frequency((6, unit), (1, Gen.Elements(Pieces)), (1, Gen.Constant("🙂")))
            .ListOf()
            .Select(parts => string.Concat(parts));
}
