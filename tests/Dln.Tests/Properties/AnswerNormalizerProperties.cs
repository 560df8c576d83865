using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeepLanguageNetworks.Tests.Properties;

/// <summary>Answer normalisation is idempotent and always yields one lower-case word (or nothing); whole-text normalisation is idempotent and yields lower-case words.</summary>
public class AnswerNormalizerProperties
{
    public const int Cases = 1000;

    [Property(MaxTest = Cases)]
    public Property Normalising_twice_equals_normalising_once() =>
        Prop.ForAll(Generators.AnyText.ToArbitrary(), answer =>
        {
            var once = AnswerNormalizer.Normalize(answer);

            Assert.Equal(once, AnswerNormalizer.Normalize(once));
            Assert.True(AnswerNormalizer.IsMatch(answer, once) || once.Length == 0);
        });

    [Property(MaxTest = Cases)]
    public Property The_result_is_one_word_of_lower_case_letters() =>
        Prop.ForAll(Generators.AnyText.ToArbitrary(), answer =>
        {
            var normalized = AnswerNormalizer.Normalize(answer);

            AssertWordCharacters(normalized);
            Assert.DoesNotContain(" ", normalized, StringComparison.Ordinal);
            Assert.Equal(normalized, normalized.ToLowerInvariant());
        });

    [Property(MaxTest = Cases)]
    public Property Whole_text_normalisation_is_idempotent_and_lower_case() =>
        Prop.ForAll(Generators.AnyText.ToArbitrary(), text =>
        {
            var once = AnswerNormalizer.NormalizeText(text);

            Assert.Equal(once, AnswerNormalizer.NormalizeText(once));
            Assert.Equal(once, once.ToLowerInvariant());
            Assert.DoesNotContain("  ", once, StringComparison.Ordinal);
            Assert.All(once.Split(' ', StringSplitOptions.RemoveEmptyEntries), AssertWordCharacters);
        });

    // Letters, marks, numbers and connector punctuation (whole code points, so a surrogate pair counts as one).
    private static void AssertWordCharacters(string word)
    {
        foreach (var rune in word.EnumerateRunes())
        {
            var category = System.Text.Rune.GetUnicodeCategory(rune);
            Assert.True(
                System.Text.Rune.IsLetterOrDigit(rune) || System.Text.Rune.IsNumber(rune) || category is System.Globalization.UnicodeCategory.NonSpacingMark
                    or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.EnclosingMark
                    or System.Globalization.UnicodeCategory.ConnectorPunctuation,
                $"U+{rune.Value:X4} ({category}) in \"{word}\"");
        }
    }
}
