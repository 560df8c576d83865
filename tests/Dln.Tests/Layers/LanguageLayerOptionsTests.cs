namespace DeepLanguageNetworks.Tests.Layers;

public class LanguageLayerOptionsTests
{
    [Fact]
    public void Defaults_are_the_papers_settings()
    {
        var options = new LanguageLayerOptions();

        Assert.Equal(0, options.Temperature);
        Assert.Equal(100, options.TopLogProbabilities); // the paper's 100, clamped per backend at call time
        Assert.Equal(0.05, options.ContinuationBurnInRatio);
        Assert.Empty(options.StopSequences);
        Assert.True(options.CollapseBlankLines);
        Assert.True(options.MatchVerbalizerPrefixes);
        Assert.Equal(ClassScoring.Auto, options.ClassScoring);
    }

    [Fact]
    public void Class_scoring_outside_the_enum_names_the_option()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageLayerOptions { ClassScoring = (ClassScoring)7 });

        Assert.Equal(nameof(LanguageLayerOptions.ClassScoring), ex.ParamName);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(2.01)]
    [InlineData(double.NaN)]
    public void Temperature_out_of_range_names_the_option(double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageLayerOptions { Temperature = value });

        Assert.Equal(nameof(LanguageLayerOptions.Temperature), ex.ParamName);
    }

    [Fact]
    public void Top_log_probabilities_below_one_names_the_option()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageLayerOptions { TopLogProbabilities = 0 });

        Assert.Equal(nameof(LanguageLayerOptions.TopLogProbabilities), ex.ParamName);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.0)]
    public void Burn_in_ratio_out_of_range_names_the_option(double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageLayerOptions { ContinuationBurnInRatio = value });

        Assert.Equal(nameof(LanguageLayerOptions.ContinuationBurnInRatio), ex.ParamName);
    }

    [Fact]
    public void Equality_compares_stop_sequences_by_content()
    {
        var a = new LanguageLayerOptions { Temperature = 0.7, StopSequences = ["\n\n", "#"] };
        var b = new LanguageLayerOptions { Temperature = 0.7, StopSequences = new List<string> { "\n\n", "#" } };
        var c = a with { StopSequences = ["#"] };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, a with { MatchVerbalizerPrefixes = false });
        Assert.NotEqual(a, a with { ClassScoring = ClassScoring.Continuation });
    }
}
