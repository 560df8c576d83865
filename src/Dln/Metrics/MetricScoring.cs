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

    /// <summary>
    /// The requests of the run's pipelines one <see cref="ScoreAsync"/> makes: a judge's gradings; none for class
    /// correctness or a metric that calls no model of the run (its own calls, if any, are not the run's).
    /// </summary>
    public static int CallsPerScore(IMetric metric, OutputSpace outputSpace) =>
        metric is ExactMatchMetric && outputSpace.IsClassification ? 0
        : metric is IModelBackedMetric backed ? backed.CallsPerScore
        : 0;
}
