using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeepLanguageNetworks.Tests.Properties;

/// <summary>
/// Whatever a backend returns as its top-k list — verbalizers, prefixes, noise, duplicates, log-probabilities that are
/// −∞, NaN, +∞, underflowing or (wrongly) positive, or nothing at all — the class distribution is finite and sums to 1.
/// </summary>
public class ClassScorerProperties
{
    public const int Cases = 1000;

    private static readonly string[] Labels = ["yes", "no", "maybe", "positive", "negative", "neutral", "a", "b", "c", "true", "false", "unknown"];

    [Property(MaxTest = Cases)]
    public Property Distributions_are_finite_and_sum_to_one() =>
        Prop.ForAll(ClassesGen.ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (classes, matchPrefixes) =>
            Prop.ForAll(TopKGen(classes).ToArbitrary(), topK =>
            {
                var distribution = ClassScorer.Score(topK, classes, matchPrefixes);

                Assert.Equal(classes.Length, distribution.Probabilities.Count);
                Assert.All(distribution.Probabilities, p => Assert.True(double.IsFinite(p) && p >= 0 && p <= 1, $"P = {p}"));
                Assert.InRange(distribution.Probabilities.Sum(), 1 - 1e-9, 1 + 1e-9);
                Assert.InRange(distribution.PredictedIndex, 0, classes.Length - 1);
                Assert.All(classes, c => Assert.False(double.IsNaN(distribution.LogProbabilityOf(c.Label)), $"log P({c.Label}) is NaN"));
            }));

    private static Gen<OutputClass[]> ClassesGen { get; } =
        Gen.Choose(2, 5).SelectMany(n => Gen.Shuffle(Labels).Select(labels => labels.Take(n).ToArray()))
            .SelectMany(labels => Gen.CollectToArray(labels, label =>
                Gen.SubListOf(new[] { char.ToUpperInvariant(label[0]) + label[1..], "(" + label + ")", label.ToUpperInvariant() + "." })
                    .Select(extra => new OutputClass(label, new[] { label }.Concat(extra)))));

    private static Gen<TokenLogProbability[]> TopKGen(OutputClass[] classes)
    {
        var spellings = classes.SelectMany(c => c.Verbalizers).ToArray();
        var token = Gen.Frequency(
            (4, Gen.Elements(spellings)),
            (2, Gen.Elements(spellings).Select(s => " " + s)),
            (2, Gen.Elements(spellings).SelectMany(s => Gen.Choose(1, s.Length).Select(k => s[..k]))),
            (1, Gen.Elements("\n", " ", "The", "I", "", "  yes", "Yes ", "n", "p")),
            (1, Generators.AnyText));
        var logProbability = Gen.Frequency(
            (8, Gen.Choose(0, 30_000).Select(i => -i / 1000.0)),
            (1, Gen.Elements(0.0, -745.2, -800.0, -1e300, double.MinValue, double.NegativeInfinity, double.NaN)),
            (1, Gen.Elements(double.PositiveInfinity, 1e-9, 0.5, 3.0, 800.0, double.MaxValue)));
        return Gen.Zip(token, logProbability, (t, l) => new TokenLogProbability(t, l)).ArrayOf().Select(a => a.Take(25).ToArray());
    }
}
