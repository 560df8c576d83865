namespace DeepLanguageNetworks.Tests.Evaluation;

public class AnswerNormalizerTests
{
    [Theory]
    [InlineData("(A)", "a")]
    [InlineData("Yes.", "yes")]
    [InlineData("  NEGATIVE\n", "negative")]
    [InlineData("Option B", "b")]
    [InlineData("option (c) is right", "c")]
    [InlineData("option", "option")]
    [InlineData("True, because...", "true")]
    [InlineData("A2B", "a2b")] // digits belong to words (the paper's rule dropped them)
    [InlineData("snake_case answer", "snake_case")] // underscore is a word character
    [InlineData("Élan vital", "élan")]
    [InlineData("42", "42")] // a number is an answer (the paper's rule normalised it to nothing)
    [InlineData("x² + ½", "x²")] // other numbers are kept, not dropped
    [InlineData("İstanbul", "istanbul")] // U+0130, which .NET's invariant lower-casing leaves alone
    [InlineData("ΟΔΟΣ", "οδοσ")] // final sigma folded
    [InlineData("Café", "café")] // decomposed accents composed
    [InlineData("Привет, мир", "привет")]
    [InlineData("?!", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Normalize_keeps_the_first_lower_cased_word(string? answer, string expected)
    {
        Assert.Equal(expected, AnswerNormalizer.Normalize(answer));
    }

    [Theory]
    [InlineData("(A)")]
    [InlineData("Option B")]
    [InlineData("  Yes, it is. ")]
    public void Normalize_is_idempotent(string answer)
    {
        var once = AnswerNormalizer.Normalize(answer);

        Assert.Equal(once, AnswerNormalizer.Normalize(once));
    }

    [Theory]
    [InlineData("(A)", "A", true)]
    [InlineData("a) because", "(A)", true)]
    [InlineData("Yes", "yes", true)]
    [InlineData("No", "yes", false)]
    [InlineData("", "", false)] // an empty target never matches
    [InlineData("42", "7", false)] // both normalise to "": no match
    [InlineData(null, "yes", false)]
    public void Is_match_compares_normalised_answers(string? prediction, string? target, bool expected)
    {
        Assert.Equal(expected, AnswerNormalizer.IsMatch(prediction, target));
    }

    [Theory]
    [InlineData("a\uFFFEb", "a b")] // a noncharacter, which Unicode normalisation refuses
    [InlineData("x\uD800y", "x y")] // a lone surrogate
    [InlineData("e\u0301\uFDD0", "é")]
    public void Invalid_text_separates_words_instead_of_failing(string text, string expected)
    {
        Assert.Equal(expected, AnswerNormalizer.NormalizeText(text));
        Assert.Equal(expected.Split(' ')[0], AnswerNormalizer.Normalize(text));
    }
}
