using MathNet.Numerics.Statistics;

namespace DeepLanguageNetworks;

/// <summary>
/// A network's scores on a set of examples by a metric (<see cref="MeanScore"/>; exact match by default, whose mean is
/// the accuracy), with the per-example outcomes (for significance tests and reports).
/// </summary>
/// <param name="Results">One result per example, in input order.</param>
/// <param name="Usage">Tokens consumed.</param>
/// <remarks>
/// An example whose input did not fit the context window is skipped (<see cref="ExampleResult.Skipped"/>): the accuracy
/// is over the examples that were run, and <see cref="Skipped"/> says how many were not. Leave skipped results out of a
/// significance test.
/// </remarks>
public sealed record EvaluationResult(IReadOnlyList<ExampleResult> Results, LanguageModelUsage Usage)
{
    /// <summary>Number of correct examples.</summary>
    public int Correct => Results.Count(r => r.IsCorrect);

    /// <summary>Number of examples skipped because they did not fit the context window.</summary>
    public int Skipped => Results.Count(r => r.Skipped);

    /// <summary>
    /// Fraction of full successes (metric score 1) among the examples run (skipped ones left out) in [0, 1]; 0 when
    /// none was run. With the default exact match it equals <see cref="MeanScore"/>.
    /// </summary>
    public double Accuracy
    {
        get
        {
            var run = Results.Count - Skipped;
            return run == 0 ? 0 : (double)Correct / run;
        }
    }

    /// <summary>
    /// The mean metric score over the examples run (skipped ones left out) in [0, 1]; 0 when none was run. With the
    /// default exact match it is the accuracy; with partial credit (token F1, a numeric tolerance, a judge) it is what
    /// the trainer selects prompts by.
    /// </summary>
    public double MeanScore
    {
        get
        {
            var run = Results.Count - Skipped;
            return run == 0 ? 0 : Results.Where(r => !r.Skipped).Sum(r => r.Score) / run;
        }
    }

    /// <summary>The metric that scored the predictions; <see cref="MetricIdentity.ExactMatch"/> unless another was given.</summary>
    public MetricIdentity Metric { get; init; } = MetricIdentity.ExactMatch;

    /// <summary>
    /// The examples found too long before the first call (see <see cref="OverlongInputPolicy"/>), with their token
    /// counts: skipped ones are also marked <see cref="ExampleResult.Skipped"/>; truncated ones were run with their input cut.
    /// </summary>
    public IReadOnlyList<OverlongInput> OverlongInputs { get; init; } = [];

    /// <summary>Mean and standard deviation of several accuracies (for example over seeds), via MathNet.Numerics.</summary>
    /// <param name="accuracies">The accuracies.</param>
    /// <returns>Mean and sample standard deviation (0 for a single value).</returns>
    public static (double Mean, double StandardDeviation) MeanAndStandardDeviation(IEnumerable<double> accuracies)
    {
        ArgumentNullException.ThrowIfNull(accuracies);
        var values = accuracies.ToArray();
        return values.Length switch
        {
            0 => (0, 0),
            1 => (values[0], 0),
            _ => values.MeanStandardDeviation(),
        };
    }
}
