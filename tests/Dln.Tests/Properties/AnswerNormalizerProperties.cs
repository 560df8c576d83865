using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeepLanguageNetworks.Tests.Properties;

/// <summary>Answer normalisation is idempotent and always yields one lower-case word (or nothing).</summary>
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

            Assert.All(normalized, c => Assert.True(char.IsLetter(c) || c == '_', $"'{c}' (U+{(int)c:X4}) in \"{normalized}\""));
            Assert.Equal(normalized, normalized.ToLowerInvariant());
        });
}
