using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeepLanguageNetworks.Tests.Properties;

/// <summary>Every built-in metric scores arbitrary texts in [0, 1]; exact match is idempotent under normalisation.</summary>
public class MetricProperties
{
    private const int Cases = 500;

    private static readonly IMetric[] BuiltIns =
    [
        Metrics.ExactMatch, Metrics.Contains, Metrics.TokenF1, Metrics.Numeric(), Metrics.Numeric(new NumericMatchOptions { PartialCredit = true, RelativeTolerance = 0.1 }),
        Metrics.Regex(@"\d+"),
    ];

    private static Gen<string> Texts { get; } = Gen.Frequency(
        (4, Generators.AnyText),
        (2, Gen.Choose(-100_000, 100_000).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Elements("42", "The answer is 42.", "-3.5e2", "1,250.50", "x²", "½", "İstanbul", "東京", "", " ", "option (B)")));

    private static double Score(IMetric metric, string target, string output) =>
        metric.ScoreAsync(new Example("input", target), output).AsTask().GetAwaiter().GetResult().Score;

    [Property(MaxTest = Cases)]
    public Property Built_in_scores_lie_in_zero_to_one() =>
        Prop.ForAll(Texts.ToArbitrary(), Texts.ToArbitrary(), (target, output) =>
        {
            foreach (var metric in BuiltIns)
            {
                var score = Score(metric, target, output);
                Assert.True(score is >= 0 and <= 1, $"{metric.Name}: {score} for target \"{target}\" and output \"{output}\"");
            }
        });

    [Property(MaxTest = Cases)]
    public Property Exact_match_is_idempotent_under_normalisation() =>
        Prop.ForAll(Texts.ToArbitrary(), text =>
        {
            var normalized = AnswerNormalizer.NormalizeText(text);

            // A text matches its normal form, in either role, and so does the normal form of the normal form.
            Assert.Equal(1, Score(Metrics.ExactMatch, text, normalized));
            Assert.Equal(1, Score(Metrics.ExactMatch, normalized, text));
            Assert.Equal(1, Score(Metrics.ExactMatch, AnswerNormalizer.NormalizeText(normalized), text));
            Assert.Equal(1, Score(Metrics.TokenF1, text, normalized));
            Assert.Equal(1, Score(Metrics.Contains, text, normalized));
        });

    [Property(MaxTest = Cases)]
    public Property A_text_scores_full_marks_against_itself() =>
        Prop.ForAll(Texts.ToArbitrary(), text =>
        {
            Assert.Equal(1, Score(Metrics.ExactMatch, text, text));
            Assert.Equal(1, Score(Metrics.TokenF1, text, text));
            Assert.Equal(1, Score(Metrics.Contains, text, text));
            if (NumberExtraction.Last(text) is not null)
            {
                Assert.Equal(1, Score(Metrics.Numeric(), text, text));
            }
        });
}
