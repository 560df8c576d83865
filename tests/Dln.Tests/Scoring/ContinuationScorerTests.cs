namespace DeepLanguageNetworks.Tests.Scoring;

public class ContinuationScorerTests
{
    private static TokenLogProbability[] Tokens(params double[] logProbabilities) =>
        logProbabilities.Select((lp, i) => new TokenLogProbability($"t{i}", lp)).ToArray();

    // A first token that would dominate the mean if it were scored, followed by (count − 1) tokens of −1.
    private static TokenLogProbability[] HardFirstToken(int count) =>
        Tokens([-100.0, .. Enumerable.Repeat(-1.0, count - 1)]);

    [Fact]
    public void Mean_and_sum_of_a_short_continuation()
    {
        var score = ContinuationScorer.Score(Tokens(-1, -2, -3));

        Assert.Equal(-6, score.Sum, 12);
        Assert.Equal(-2, score.Mean, 12);
        Assert.Equal(3, score.TokenCount);
        Assert.Equal(3, score.ScoredTokens);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(19)]
    public void Default_burn_in_skips_nothing_under_20_tokens(int count)
    {
        // floor(0.05 × 19) = 0: the −100 first token is scored.
        var score = ContinuationScorer.Score(HardFirstToken(count));

        Assert.Equal(count, score.ScoredTokens);
        Assert.Equal(-100 - (count - 1), score.Sum, 9);
        Assert.Equal((-100.0 - (count - 1)) / count, score.Mean, 9);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(39)]
    public void Default_burn_in_skips_the_first_token_from_20_to_39_tokens(int count)
    {
        // floor(0.05 × 20) = floor(0.05 × 39) = 1: the −100 first token is dropped, the rest average −1.
        var score = ContinuationScorer.Score(HardFirstToken(count));

        Assert.Equal(count, score.TokenCount);
        Assert.Equal(count - 1, score.ScoredTokens);
        Assert.Equal(-(count - 1), score.Sum, 9);
        Assert.Equal(-1, score.Mean, 12);
    }

    [Fact]
    public void Default_burn_in_skips_two_tokens_at_40()
    {
        var score = ContinuationScorer.Score(Tokens([-100.0, -100.0, .. Enumerable.Repeat(-1.0, 38)]));

        Assert.Equal(38, score.ScoredTokens);
        Assert.Equal(-1, score.Mean, 12);
    }

    [Fact]
    public void Zero_burn_in_scores_every_token()
    {
        var score = ContinuationScorer.Score(HardFirstToken(40), burnInRatio: 0);

        Assert.Equal(40, score.ScoredTokens);
        Assert.Equal(-139, score.Sum, 9);
    }

    [Fact]
    public void Larger_burn_in_rounds_down()
    {
        // floor(0.5 × 5) = 2 skipped: scores -3, -4, -5.
        var score = ContinuationScorer.Score(Tokens(-1, -2, -3, -4, -5), burnInRatio: 0.5);

        Assert.Equal(3, score.ScoredTokens);
        Assert.Equal(-12, score.Sum, 12);
        Assert.Equal(-4, score.Mean, 12);
    }

    [Fact]
    public void Empty_continuation_scores_zero()
    {
        var score = ContinuationScorer.Score([]);

        Assert.Equal(new ContinuationScore(0, 0, 0, 0), score);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Invalid_burn_in_ratio_throws_naming_the_parameter(double ratio)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ContinuationScorer.Score(Tokens(-1), ratio));

        Assert.Equal("burnInRatio", ex.ParamName);
    }

    [Fact]
    public void Default_ratio_is_the_papers_five_percent()
    {
        Assert.Equal(0.05, ContinuationScorer.DefaultBurnInRatio);
        Assert.Equal(0.05, new LanguageLayerOptions().ContinuationBurnInRatio);
    }
}
