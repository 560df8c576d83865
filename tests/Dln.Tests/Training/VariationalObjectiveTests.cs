namespace DeepLanguageNetworks.Tests.Training;

/// <summary>The numbers of the variational objective against values computed by hand.</summary>
public class VariationalObjectiveTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Sharpening_weights_are_the_softmax_of_the_logits()
    {
        // exp(0) = 1 and exp(ln 3) = 3, so the weights are 1/4 and 3/4.
        AssertClose([0.25, 0.75], VariationalObjective.SharpeningWeights([0, Math.Log(3)], 1));
    }

    [Fact]
    public void Temperature_below_one_sharpens_the_weights()
    {
        // At T = 0.5 the logits double: exp(0) = 1 and exp(2 ln 3) = 9, so the weights are 1/10 and 9/10.
        AssertClose([0.1, 0.9], VariationalObjective.SharpeningWeights([0, Math.Log(3)], 0.5));
    }

    [Fact]
    public void Large_logits_do_not_overflow()
    {
        // Shifting every logit by 1000 does not change the softmax; computed naively, exp(1000) would be infinite.
        AssertClose([0.25, 0.75], VariationalObjective.SharpeningWeights([1000, 1000 + Math.Log(3)], 1));
        AssertClose([0.25, 0.75], VariationalObjective.SharpeningWeights([-1000, -1000 + Math.Log(3)], 1));
    }

    [Fact]
    public void One_sample_or_a_temperature_of_100_or_more_gives_uniform_weights()
    {
        AssertClose([1.0], VariationalObjective.SharpeningWeights([-7.5], 1));
        AssertClose([1.0 / 3, 1.0 / 3, 1.0 / 3], VariationalObjective.SharpeningWeights([0, 5, -2], VariationalObjective.UniformTemperature));
        AssertClose([0.5, 0.5], VariationalObjective.SharpeningWeights([0, Math.Log(3)], 1000));
        // Just below the threshold the logits still count: ln 3 / 99 ≈ 0.0111 gives 0.5 ± 0.0028.
        var almost = VariationalObjective.SharpeningWeights([0, Math.Log(3)], 99);
        Assert.True(almost[1] > 0.5 && almost[1] < 0.51, $"{almost[1]}");
        Assert.Empty(VariationalObjective.SharpeningWeights([], 1));
    }

    [Fact]
    public void A_failed_score_gets_no_weight_and_does_not_poison_the_others()
    {
        // NaN counts as impossible (−∞): the other two keep weights 1/4 and 3/4.
        AssertClose([0, 0.25, 0.75], VariationalObjective.SharpeningWeights([double.NaN, 0, Math.Log(3)], 1));
        AssertClose([0, 1], VariationalObjective.SharpeningWeights([double.NegativeInfinity, -3], 1));
        // When no sample has a score, none is preferred.
        AssertClose([0.5, 0.5], VariationalObjective.SharpeningWeights([double.NaN, double.NaN], 1));
    }

    [Fact]
    public void Weights_sum_to_one()
    {
        var weights = VariationalObjective.SharpeningWeights([-0.3, -2.2, -1.7, -0.9, -4.0], 0.75);
        Assert.Equal(1, weights.Sum(), 12);
        Assert.All(weights, w => Assert.InRange(w, 0, 1));
    }

    [Fact]
    public void Weighted_score_is_the_batch_mean_of_the_weighted_sample_scores()
    {
        // Example 0: 0.25 · (−2) + 0.75 · (−1) = −1.25. Example 1: 1 · (−4) = −4. Mean: (−1.25 − 4) / 2 = −2.625.
        double[][] weights = [[0.25, 0.75], [1.0]];
        double[][] scores = [[-2, -1], [-4]];
        Assert.Equal(-2.625, VariationalObjective.WeightedScore(weights, scores), Tolerance);
    }

    [Fact]
    public void Weighted_score_with_one_sample_of_weight_one_is_the_plain_mean()
    {
        // DLN-1: (−0.1 − 0.5 − 2.4) / 3 = −1.
        Assert.Equal(-1, VariationalObjective.WeightedScore([[1.0], [1.0], [1.0]], [[-0.1], [-0.5], [-2.4]]), Tolerance);
        Assert.Equal(0, VariationalObjective.WeightedScore([], []));
    }

    [Fact]
    public void Weighted_score_rejects_mismatched_shapes()
    {
        var examples = Assert.Throws<ArgumentException>(() => VariationalObjective.WeightedScore([[1.0]], [[1.0], [2.0]]));
        Assert.Contains("1 examples", examples.Message, StringComparison.Ordinal);
        var samples = Assert.Throws<ArgumentException>(() => VariationalObjective.WeightedScore([[0.5, 0.5]], [[1.0]]));
        Assert.Contains("Example 0", samples.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_kl_divergence_matches_the_hand_computed_value()
    {
        // KL([1/2, 1/2] ‖ [1/4, 3/4]) = 1/2 · ln(2) + 1/2 · ln(2/3) = 1/2 · ln(4/3) ≈ 0.143841.
        var kl = 0.5 * Math.Log(4.0 / 3);
        double[][] current = [[0.5, 0.5], [0.9, 0.1]];
        double[][] candidate = [[0.25, 0.75], [0.9, 0.1]];
        // The second example is unchanged (KL 0), so the mean is kl / 2.
        Assert.Equal(kl / 2, VariationalObjective.MeanKlDivergence(current, candidate), Tolerance);
        Assert.Equal(0.143841, kl, 6);
    }

    [Fact]
    public void Kl_divergence_is_zero_for_identical_distributions_and_finite_for_a_zero_in_the_candidate()
    {
        Assert.Equal(0, VariationalObjective.MeanKlDivergence([[0.2, 0.3, 0.5]], [[0.2, 0.3, 0.5]]), Tolerance);
        // KL is not symmetric: the current prompt's distribution is the reference.
        var forward = VariationalObjective.MeanKlDivergence([[0.5, 0.5]], [[0.9, 0.1]]);
        var backward = VariationalObjective.MeanKlDivergence([[0.9, 0.1]], [[0.5, 0.5]]);
        Assert.NotEqual(forward, backward, 6);
        var floored = VariationalObjective.MeanKlDivergence([[0.5, 0.5]], [[1.0, 0.0]]);
        Assert.True(double.IsFinite(floored) && floored > 10, $"{floored}");
        Assert.Equal(0, VariationalObjective.MeanKlDivergence([], []));
        Assert.Throws<ArgumentException>(() => VariationalObjective.MeanKlDivergence([[1.0, 0.0]], []));
    }

    [Fact]
    public void Penalty_weight_decays_linearly_over_the_iterations()
    {
        // λ = 2, t = 5, T = 20: 2 · (1 − 5/20) = 1.5.
        Assert.Equal(1.5, VariationalObjective.PenaltyWeight(2, 5, 20, decay: true), Tolerance);
        Assert.Equal(2, VariationalObjective.PenaltyWeight(2, 0, 20, decay: true), Tolerance);
        Assert.Equal(0, VariationalObjective.PenaltyWeight(2, 20, 20, decay: true), Tolerance);
        Assert.Equal(2, VariationalObjective.PenaltyWeight(2, 5, 20, decay: false), Tolerance);
        Assert.Equal(2, VariationalObjective.PenaltyWeight(2, 5, 0, decay: true), Tolerance);
    }

    [Fact]
    public void Penalty_sums_the_wrong_examples_and_divides_by_the_batch_size()
    {
        // Two wrong examples out of four: (−1.5 − 0.5) / 4 = −0.5 (the sum over errors over B, not a mean over errors).
        Assert.Equal(-0.5, VariationalObjective.Penalty([-1.5, -0.5], 4), Tolerance);
        Assert.Equal(0, VariationalObjective.Penalty([], 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => VariationalObjective.Penalty([-1.0], 0));
    }

    [Fact]
    public void Normalized_entropy_is_one_for_uniform_and_zero_for_one_hot_weights()
    {
        Assert.Equal(1, VariationalObjective.NormalizedEntropy([0.25, 0.25, 0.25, 0.25]), Tolerance);
        Assert.Equal(0, VariationalObjective.NormalizedEntropy([0, 1, 0]), Tolerance);
        // H([1/2, 1/2, 0]) = ln 2, divided by ln 3.
        Assert.Equal(Math.Log(2) / Math.Log(3), VariationalObjective.NormalizedEntropy([0.5, 0.5, 0]), Tolerance);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], Tolerance);
        }
    }
}
