namespace DeepLanguageNetworks;

/// <summary><see cref="Metrics.ExactMatch"/>: equal normalised texts; class correctness on a classification layer (see <see cref="MetricScoring"/>).</summary>
internal sealed class ExactMatchMetric : IMetric
{
    public string Name => "exact match";

    public ValueTask<MetricScore> ScoreAsync(Example example, string output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(output);
        return ValueTask.FromResult(MetricScore.FromBoolean(AnswerNormalizer.NormalizeText(output) == AnswerNormalizer.NormalizeText(example.Target)));
    }
}
