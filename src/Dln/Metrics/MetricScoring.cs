namespace DeepLanguageNetworks;

/// <summary>
/// Scores a network's output with a metric, the one way evaluation and training do: <see cref="Metrics.ExactMatch"/>
/// on a classification layer is class correctness (<see cref="OutputSpace.IsCorrect"/>, the paper's rule, with no
/// call and no allocation); every other metric gets the output text.
/// </summary>
internal static class MetricScoring
{
    public static ValueTask<MetricScore> ScoreAsync(IMetric metric, OutputSpace outputSpace, Example example, string output, OutputClass? predictedClass, CancellationToken cancellationToken)
    {
        if (metric is ExactMatchMetric && outputSpace.IsClassification)
        {
            return ValueTask.FromResult(MetricScore.FromBoolean(outputSpace.IsCorrect(output, predictedClass, example.Target)));
        }

        return metric.ScoreAsync(example, output, cancellationToken);
    }
}
