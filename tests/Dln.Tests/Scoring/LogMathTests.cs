namespace DeepLanguageNetworks.Tests.Scoring;

public class LogMathTests
{
    [Fact]
    public void LogSumExp_of_small_values_matches_the_direct_formula()
    {
        double[] values = [-1, 0.5, 2];

        Assert.Equal(Math.Log(Math.Exp(-1) + Math.Exp(0.5) + Math.Exp(2)), LogMath.LogSumExp(values), 12);
    }

    [Fact]
    public void LogSumExp_is_stable_for_large_values()
    {
        // exp(1000) overflows a double; the max-shift gives 1000 + ln 2 exactly.
        Assert.Equal(1000 + Math.Log(2), LogMath.LogSumExp([1000.0, 1000.0]), 9);
        Assert.Equal(-1000 + Math.Log(2), LogMath.LogSumExp([-1000.0, -1000.0]), 9);
    }

    [Fact]
    public void LogSumExp_of_empty_or_all_negative_infinity_is_negative_infinity()
    {
        Assert.Equal(double.NegativeInfinity, LogMath.LogSumExp([]));
        Assert.Equal(double.NegativeInfinity, LogMath.LogSumExp([double.NegativeInfinity, double.NegativeInfinity]));
    }

    [Fact]
    public void LogSumExp_ignores_negative_infinity_terms()
    {
        Assert.Equal(3.0, LogMath.LogSumExp([double.NegativeInfinity, 3.0]), 12);
    }

    [Fact]
    public void Softmax_at_temperature_one()
    {
        // softmax(0, ln 3) = (1, 3) / 4.
        var p = LogMath.Softmax([0.0, Math.Log(3)]);

        Assert.Equal(0.25, p[0], 12);
        Assert.Equal(0.75, p[1], 12);
    }

    [Fact]
    public void Softmax_temperature_scales_logits()
    {
        // T = 0.5 doubles the logits: (0, 2 ln 3) → (1, 9) / 10. T = 2 halves them: (0, ln 3 / 2) → (1, √3) / (1 + √3).
        var sharp = LogMath.Softmax([0.0, Math.Log(3)], temperature: 0.5);
        var flat = LogMath.Softmax([0.0, Math.Log(3)], temperature: 2);

        Assert.Equal(0.1, sharp[0], 12);
        Assert.Equal(0.9, sharp[1], 12);
        Assert.Equal(1 / (1 + Math.Sqrt(3)), flat[0], 12);
    }

    [Fact]
    public void Softmax_is_stable_for_large_logits_and_uniform_when_all_are_negative_infinity()
    {
        var large = LogMath.Softmax([1000.0, 1000.0, 1000.0 + Math.Log(2)]);
        var none = LogMath.Softmax([double.NegativeInfinity, double.NegativeInfinity]);

        Assert.Equal([0.25, 0.25, 0.5], large.Select(p => Math.Round(p, 12)));
        Assert.Equal([0.5, 0.5], none);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Softmax_rejects_a_non_positive_temperature(double temperature)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => LogMath.Softmax([1.0, 2.0], temperature));

        Assert.Equal("temperature", ex.ParamName);
    }

    [Fact]
    public void Normalized_entropy_is_zero_for_a_point_mass_and_one_for_uniform()
    {
        Assert.Equal(0, LogMath.NormalizedEntropy([0.0, 1.0, 0.0]), 12);
        Assert.Equal(1, LogMath.NormalizedEntropy([0.25, 0.25, 0.25, 0.25]), 12);
        Assert.Equal(0, LogMath.NormalizedEntropy([1.0]));
    }

    [Fact]
    public void Normalized_entropy_of_a_two_point_distribution()
    {
        // H(0.25, 0.75) / ln 2 = −(0.25 ln 0.25 + 0.75 ln 0.75) / ln 2 ≈ 0.811278.
        var expected = -(0.25 * Math.Log(0.25) + 0.75 * Math.Log(0.75)) / Math.Log(2);

        Assert.Equal(expected, LogMath.NormalizedEntropy([0.25, 0.75]), 12);
        Assert.Equal(0.811278, LogMath.NormalizedEntropy([0.25, 0.75]), 6);
    }

    [Fact]
    public void Kl_divergence_is_zero_for_equal_distributions()
    {
        Assert.Equal(0, LogMath.KlDivergence([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 15);
    }

    [Fact]
    public void Kl_divergence_hand_computed()
    {
        // KL((½, ½) ‖ (¼, ¾)) = ½ ln(½ / ¼) + ½ ln(½ / ¾) = ½ ln 2 + ½ ln(2/3) = ½ ln(4/3) ≈ 0.143841.
        var kl = LogMath.KlDivergence([0.5, 0.5], [0.25, 0.75]);

        Assert.Equal(0.5 * Math.Log(4.0 / 3), kl, 12);
        Assert.Equal(0.143841, kl, 6);
    }

    [Fact]
    public void Kl_divergence_floors_zero_probabilities_of_q_and_skips_zero_terms_of_p()
    {
        // p puts no mass on item 0 (term skipped); q has 0 where p has mass → floored at 1e-12, finite.
        var kl = LogMath.KlDivergence([0.0, 1.0], [1.0, 0.0]);

        Assert.Equal(-Math.Log(1e-12), kl, 9);
        Assert.Throws<ArgumentException>(() => LogMath.KlDivergence([1.0], [0.5, 0.5]));
    }
}
