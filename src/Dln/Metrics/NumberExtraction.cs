using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DeepLanguageNetworks;

/// <summary>
/// Finds the numbers written in a text, for <see cref="Metrics.Numeric(NumericMatchOptions?)"/>: decimal digits of
/// any script, an optional sign (<c>-</c>, <c>+</c> or the minus sign U+2212) that does not follow a letter or digit
/// (so <c>ORD-1234</c> is 1234, not −1234), thousands grouped by commas or (narrow) no-break spaces, a decimal
/// point, and an exponent.
/// </summary>
internal static partial class NumberExtraction
{
    /// <summary>The last number of <paramref name="text"/>, or <see langword="null"/> when it has none.</summary>
    public static double? Last(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        double? last = null;
        foreach (Match match in NumberPattern().Matches(text))
        {
            if (Parse(match.Value) is { } value)
            {
                last = value;
            }
        }

        return last;
    }

    private static double? Parse(string written)
    {
        var b = new StringBuilder(written.Length);
        foreach (var c in written)
        {
            switch (c)
            {
                case ',' or '\u00A0' or '\u202F' or '\u2009':
                    break;
                case '\u2212':
                    b.Append('-');
                    break;
                default:
                    // Digits of other scripts (Arabic-Indic, Devanagari, full-width) as their ASCII value.
                    b.Append(char.IsDigit(c) && c > '9' ? (char)('0' + (int)char.GetNumericValue(c)) : c);
                    break;
            }
        }

        return double.TryParse(b.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
    }

    // A sign only at the start of a number that follows no letter or digit; groups of exactly three digits after a
    // separator; a fraction after a point; an exponent.
    [GeneratedRegex(@"(?:(?<![\p{L}\p{Nd}])[-+\u2212])?(?<![\p{Nd}.])\p{Nd}+(?:[,\u00A0\u202F\u2009]\p{Nd}{3}(?!\p{Nd}))*(?:\.\p{Nd}+)?(?:[eE][-+]?\p{Nd}+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
