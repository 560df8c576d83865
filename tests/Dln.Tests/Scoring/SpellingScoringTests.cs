namespace DeepLanguageNetworks.Tests.Scoring;

/// <summary>Continuation class scoring arithmetic (<see cref="ClassScorer.ScoreSpellings"/>) against hand computation.</summary>
public class SpellingScoringTests
{
    private const double Tolerance = 1e-12;

    private static readonly IReadOnlyList<OutputClass> YesNo = OutputSpace.FromClasses("yes|Yes", "no").Classes;

    [Fact]
    public void A_class_mass_is_the_sum_of_its_spellings_probabilities()
    {
        // yes: exp(-1) + exp(-2) = 0.367879 + 0.135335 = 0.503215; no: exp(-0.5) = 0.606531.
        // P(yes) = 0.503215 / 1.109746 = 0.453451.
        var distribution = ClassScorer.ScoreSpellings(YesNo, [[-1.0, -2.0], [-0.5]]);

        var yes = Math.Exp(-1) + Math.Exp(-2);
        var no = Math.Exp(-0.5);
        Assert.Equal(yes / (yes + no), distribution.Probabilities[0], Tolerance);
        Assert.Equal(0.453451, distribution.Probabilities[0], 1e-6);
        Assert.Equal(no / (yes + no), distribution.Probabilities[1], Tolerance);
        Assert.Equal(Math.Log(yes / (yes + no)), distribution.LogProbabilityOf("yes"), Tolerance);
        Assert.Equal("no", distribution.Predicted.Label);
        Assert.Empty(distribution.FlooredClasses);
    }

    [Fact]
    public void Very_unlikely_classes_keep_a_finite_exact_log_probability()
    {
        // exp(-1000) underflows to 0 in double; the log-probability is still -1000 - log(exp(-1000) + exp(-1)) ≈ -999.
        var distribution = ClassScorer.ScoreSpellings(YesNo, [[-1000.0, -1001.0], [-1.0]]);

        var expected = LogSumExp(-1000, -1001) - LogSumExp(LogSumExp(-1000, -1001), -1);
        Assert.Equal(expected, distribution.LogProbabilityOf("yes"), 1e-9);
        Assert.Equal(-999.0 + Math.Log(1 + Math.Exp(-1)), distribution.LogProbabilityOf("yes"), 1e-9);
        Assert.Equal(0, distribution.Probabilities[0]);
        Assert.Equal(1, distribution.Probabilities[1], Tolerance);
        Assert.True(double.IsFinite(distribution.LogProbabilityOf("no")));
    }

    [Fact]
    public void Impossible_spellings_carry_no_mass_and_a_class_without_any_is_floored()
    {
        // NaN and -inf carry nothing; yes keeps only exp(-3). "no" has nothing: floor = least finite (-3) + ln 1e-6.
        var distribution = ClassScorer.ScoreSpellings(YesNo, [[-3.0, double.NaN], [double.NegativeInfinity]]);

        Assert.Equal(["no"], distribution.FlooredClasses);
        var floor = -3 + Math.Log(ClassScorer.EmptyTopKFloor);
        Assert.Equal(floor - LogSumExp(-3, floor), distribution.LogProbabilityOf("no"), 1e-9);
        Assert.Equal("yes", distribution.Predicted.Label);
    }

    [Fact]
    public void With_no_mass_at_all_the_distribution_is_uniform_and_every_class_floored()
    {
        var distribution = ClassScorer.ScoreSpellings(YesNo, [[double.NaN, double.NegativeInfinity], [double.NegativeInfinity]]);

        Assert.Equal(0.5, distribution.Probabilities[0], Tolerance);
        Assert.Equal(["yes", "no"], distribution.FlooredClasses);
    }

    [Fact]
    public void A_log_probability_above_zero_counts_as_zero()
    {
        var distribution = ClassScorer.ScoreSpellings(YesNo, [[0.3, double.NegativeInfinity], [Math.Log(0.5)]]);

        Assert.Equal(1 / 1.5, distribution.Probabilities[0], Tolerance);
    }

    [Fact]
    public void Lists_that_do_not_match_the_classes_are_refused_with_the_class_named()
    {
        Assert.Throws<ArgumentException>(() => ClassScorer.ScoreSpellings(YesNo, [[-1.0, -2.0]]));
        var error = Assert.Throws<ArgumentException>(() => ClassScorer.ScoreSpellings(YesNo, [[-1.0], [-2.0]]));
        Assert.Contains("'yes' has 2 spellings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_log_scores_normalises_by_log_sum_exp()
    {
        var distribution = ClassDistribution.FromLogScores(YesNo, [Math.Log(3), Math.Log(1)]);

        Assert.Equal(0.75, distribution.Probabilities[0], Tolerance);
        Assert.Equal(Math.Log(0.25), distribution.LogProbabilityOf("no"), Tolerance);
        Assert.Throws<ArgumentException>(() => ClassDistribution.FromLogScores(YesNo, [double.NaN, 0]));
        Assert.Throws<ArgumentException>(() => ClassDistribution.FromLogScores(YesNo, [double.PositiveInfinity, 0]));
        Assert.Throws<ArgumentException>(() => ClassDistribution.FromLogScores(YesNo, [double.NegativeInfinity, double.NegativeInfinity]));
        Assert.Throws<ArgumentException>(() => ClassDistribution.FromLogScores(YesNo, [0.0]));
    }

    private static double LogSumExp(double a, double b) => Math.Max(a, b) + Math.Log(Math.Exp(a - Math.Max(a, b)) + Math.Exp(b - Math.Max(a, b)));
}
