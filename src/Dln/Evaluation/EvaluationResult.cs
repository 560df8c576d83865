using MathNet.Numerics.Statistics;

namespace DeepLanguageNetworks;

/// <summary>Exact-match accuracy over a set of examples, with the per-example outcomes (for significance tests and reports).</summary>
/// <param name="Results">One result per example, in input order.</param>
/// <param name="Usage">Tokens consumed.</param>
public sealed record EvaluationResult(IReadOnlyList<ExampleResult> Results, LanguageModelUsage Usage)
{
    /// <summary>Number of correct examples.</summary>
    public int Correct => Results.Count(r => r.IsCorrect);

    /// <summary>Fraction of correct examples in [0, 1]; 0 for an empty set.</summary>
    public double Accuracy => Results.Count == 0 ? 0 : (double)Correct / Results.Count;

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
