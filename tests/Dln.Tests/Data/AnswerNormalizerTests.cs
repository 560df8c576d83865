namespace DeepLanguageNetworks.Tests.Data;

public class AnswerNormalizerTests
{
    [Theory]
    [InlineData("(A)", "a")]
    [InlineData("Yes.", "yes")]
    [InlineData("option B", "b")]
    [InlineData("Option (C) is right", "c")]
    [InlineData("  Negative, clearly", "negative")]
    [InlineData("42", "42")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("option", "option")]
    public void Normalize_keeps_the_first_lower_cased_word(string? answer, string expected)
    {
        Assert.Equal(expected, AnswerNormalizer.Normalize(answer));
    }

    [Fact]
    public void Normalize_is_idempotent()
    {
        string[] answers =
        [
            "(A)", "Yes.", "option B", "No", "(G) Joe finished third", "12/25/1937", "Not Relevant", "neutral!",
            "Option option a", "  ", "The answer is (B).", "é-accent", "human\nlocation", "_under_score",
        ];
        foreach (var answer in answers)
        {
            var once = AnswerNormalizer.Normalize(answer);
            Assert.Equal(once, AnswerNormalizer.Normalize(once));
        }
    }

    [Fact]
    public void IsMatch_compares_normalised_answers_and_never_matches_empty()
    {
        Assert.True(AnswerNormalizer.IsMatch("(B) because the order is right", "(B)"));
        Assert.True(AnswerNormalizer.IsMatch("yes", "Yes"));
        Assert.False(AnswerNormalizer.IsMatch("(A)", "(B)"));
        Assert.False(AnswerNormalizer.IsMatch("123", "456"));
    }
}
