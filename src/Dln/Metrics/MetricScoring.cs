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

    /// <summary>The metric's name and settings in one line, for messages: <c>numeric (absoluteTolerance=0.5, …)</c>.</summary>
    public static string Describe(string name, IReadOnlyDictionary<string, string> settings) =>
        settings.Count == 0 ? $"'{name}'" : $"'{name}' ({string.Join(", ", settings.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))})";

    /// <summary>Whether two metric identities (name and settings) are the same.</summary>
    public static bool SameIdentity(string name, IReadOnlyDictionary<string, string> settings, string otherName, IReadOnlyDictionary<string, string> otherSettings) =>
        string.Equals(name, otherName, StringComparison.Ordinal) &&
        settings.Count == otherSettings.Count &&
        settings.All(kv => otherSettings.TryGetValue(kv.Key, out var v) && string.Equals(v, kv.Value, StringComparison.Ordinal));
}
