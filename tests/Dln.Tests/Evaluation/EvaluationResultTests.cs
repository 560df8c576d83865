namespace DeepLanguageNetworks.Tests.Evaluation;

public class EvaluationResultTests
{
    private static ExampleResult Result(bool correct) => new(new Example("x", "y"), correct ? "y" : "z", correct);

    [Fact]
    public void Accuracy_is_the_fraction_of_correct_examples()
    {
        var evaluation = new EvaluationResult([Result(true), Result(false), Result(true), Result(true)], new LanguageModelUsage(4, 4));

        Assert.Equal(3, evaluation.Correct);
        Assert.Equal(0.75, evaluation.Accuracy);
    }

    [Fact]
    public void Accuracy_of_an_empty_set_is_zero()
    {
        var evaluation = new EvaluationResult([], default);

        Assert.Equal(0, evaluation.Correct);
        Assert.Equal(0, evaluation.Accuracy);
    }

    [Fact]
    public void Mean_and_sample_standard_deviation_over_seeds()
    {
        // Mean 0.7; sample variance ((−0.2)² + 0² + 0.2²) / (3 − 1) = 0.04 → SD 0.2.
        var (mean, sd) = EvaluationResult.MeanAndStandardDeviation([0.5, 0.7, 0.9]);

        Assert.Equal(0.7, mean, 12);
        Assert.Equal(0.2, sd, 12);
    }

    [Fact]
    public void Mean_and_standard_deviation_of_one_or_no_value()
    {
        Assert.Equal((0.83, 0.0), EvaluationResult.MeanAndStandardDeviation([0.83]));
        Assert.Equal((0.0, 0.0), EvaluationResult.MeanAndStandardDeviation([]));
    }
}
