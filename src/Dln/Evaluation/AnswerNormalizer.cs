using System.Globalization;
using System.Text;

namespace DeepLanguageNetworks;

/// <summary>
/// Normalises answers before they are compared. Two forms: <see cref="Normalize"/> keeps the answer's first word, as
/// the paper's evaluation does for class answers (so <c>(A)</c> becomes <c>a</c> and <c>Yes.</c> becomes
/// <c>yes</c>); <see cref="NormalizeText"/> keeps every word, for free-text answers (exact match, contains, token F1).
/// </summary>
/// <remarks>
/// <para>Both read words the same way, in any script. A word is a run of letters, combining marks, numbers (decimal
/// digits of any script, and other numbers such as <c>²</c> or <c>½</c>) and connector punctuation (<c>_</c>);
/// everything else (punctuation, symbols, spaces, control characters) separates words. Text is first put in Unicode
/// normal form C, so that precomposed and decomposed accents compare equal, and lower-cased with the invariant
/// (culture-independent) simple case mapping, completed where .NET's invariant mapping leaves a letter unchanged:
/// <c>İ</c> (U+0130) becomes <c>i</c>, so <c>İstanbul</c> and <c>istanbul</c> match, and final sigma <c>ς</c>
/// becomes <c>σ</c>, as Unicode case folding does. Accents, compatibility forms and digits are kept as written:
/// <c>é</c> ≠ <c>e</c>, <c>x²</c> ≠ <c>x2</c>, <c>ß</c> ≠ <c>ss</c>, <c>42</c> stays <c>42</c>.</para>
/// <para>Changed from the paper's rule, which replaced every non-letter and every digit with a space (so <c>42</c>
/// normalised to nothing and never matched, <c>x²</c> became <c>x</c>, <c>½</c> vanished and <c>İ</c> stayed
/// upper-case): digits and other numbers are now part of words. For the paper's letter and word answers the result is
/// the same.</para>
/// </remarks>
public static class AnswerNormalizer
{
    /// <summary>
    /// Normalises a class answer: the first word of the text (the second when the first is <c>option</c>),
    /// lower-cased (see the remarks of <see cref="AnswerNormalizer"/>). Idempotent: normalising twice gives the same result.
    /// </summary>
    /// <param name="answer">A prediction or a target.</param>
    /// <returns>The normalised answer; empty when the answer has no word.</returns>
    public static string Normalize(string? answer)
    {
        var words = Words(answer, splitIdeographs: false);
        if (words.Count == 0)
        {
            return string.Empty;
        }

        return words[0] == "option" && words.Count > 1 ? words[1] : words[0];
    }

    /// <summary>
    /// Normalises a free-text answer: all its words, lower-cased (see the remarks of <see cref="AnswerNormalizer"/>),
    /// joined by single spaces; each ideograph and kana character of Chinese and Japanese text, which is written without
    /// spaces, counts as a word of its own. So <c>"The answer: 42!"</c> becomes <c>the answer 42</c> and
    /// <c>"東京"</c> becomes <c>東 京</c>. Idempotent.
    /// </summary>
    /// <param name="text">A prediction or a target.</param>
    /// <returns>The normalised text; empty when the text has no word.</returns>
    public static string NormalizeText(string? text) => string.Join(' ', Words(text, splitIdeographs: true));

    /// <summary>Whether a prediction names the same class answer as a target: equal by <see cref="Normalize"/>, and not empty.</summary>
    /// <param name="prediction">The model's answer.</param>
    /// <param name="target">The expected answer.</param>
    /// <returns><see langword="true"/> on an exact match of the normalised first words.</returns>
    public static bool IsMatch(string? prediction, string? target)
    {
        var normalizedTarget = Normalize(target);
        return normalizedTarget.Length > 0 && Normalize(prediction) == normalizedTarget;
    }

    /// <summary>The normalised words of <paramref name="text"/>, in order (see the remarks of <see cref="AnswerNormalizer"/>).</summary>
    /// <param name="text">Any text; invalid UTF-16 (a lone surrogate) separates words.</param>
    /// <param name="splitIdeographs">Whether each Chinese or Japanese ideograph or kana character is a word of its own.</param>
    internal static List<string> Words(string? text, bool splitIdeographs)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return words;
        }

        var composed = Compose(text);
        var word = new StringBuilder();
        void EndWord()
        {
            if (word.Length > 0)
            {
                var w = word.ToString();

                // Lower-casing can leave a letter and a mark that compose; compose them, so that the result is stable.
                words.Add(w.IsNormalized(NormalizationForm.FormC) ? w : w.Normalize(NormalizationForm.FormC));
                word.Clear();
            }
        }

        foreach (var rune in composed.EnumerateRunes())
        {
            if (!IsWordRune(rune))
            {
                EndWord();
                continue;
            }

            if (splitIdeographs && IsIdeographOrKana(rune.Value))
            {
                EndWord();
                AppendLower(word, rune);
                EndWord();
                continue;
            }

            AppendLower(word, rune);
        }

        EndWord();
        return words;
    }

    /// <summary>
    /// The text in normal form C. Normalisation refuses lone surrogates and noncharacters (U+FFFE, U+FDD0, …); they
    /// separate words anyway, so they become U+FFFD first.
    /// </summary>
    private static string Compose(string text)
    {
        try
        {
            return text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            var b = new StringBuilder(text.Length);
            foreach (var rune in text.EnumerateRunes())
            {
                var c = rune.Value;
                var noncharacter = (c is >= 0xFDD0 and <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
                b.Append(noncharacter ? "\uFFFD" : rune.ToString());
            }

            var valid = b.ToString();
            return valid.IsNormalized(NormalizationForm.FormC) ? valid : valid.Normalize(NormalizationForm.FormC);
        }
    }

    private static bool IsWordRune(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or
            UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };

    private static void AppendLower(StringBuilder word, Rune rune)
    {
        switch (rune.Value)
        {
            // .NET's invariant lower-casing leaves U+0130 as it is; Unicode's simple lower-case mapping is "i".
            case 0x0130:
                word.Append('i');
                break;

            // Final sigma is lower-case already; case folding maps it to the ordinary sigma, as upper-casing and back would.
            case 0x03C2:
                word.Append('\u03C3');
                break;
            default:
                word.Append(Rune.ToLowerInvariant(rune).ToString());
                break;
        }
    }

    // CJK ideographs (unified, extensions, compatibility) and Japanese kana: scripts written without spaces between words.
    private static bool IsIdeographOrKana(int c) =>
        c is (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF)
            or (>= 0x3040 and <= 0x30FF) or (>= 0x31F0 and <= 0x31FF) or (>= 0xFF66 and <= 0xFF9D);
}
