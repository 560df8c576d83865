namespace DeepLanguageNetworks;

/// <summary><see cref="Metrics.Contains"/>: the target's normalised words appear in a row among the output's.</summary>
internal sealed class ContainsMetric : IMetric
{
    public string Name => "contains";

    public ValueTask<MetricScore> ScoreAsync(Example example, string output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(output);
        var target = AnswerNormalizer.Words(example.Target, splitIdeographs: true);
        var words = AnswerNormalizer.Words(output, splitIdeographs: true);
        return ValueTask.FromResult(MetricScore.FromBoolean(target.Count == 0 ? words.Count == 0 : ContainsRun(words, target)));
    }

    private static bool ContainsRun(List<string> words, List<string> run)
    {
        for (var start = 0; start + run.Count <= words.Count; start++)
        {
            var all = true;
            for (var i = 0; i < run.Count && all; i++)
            {
                all = words[start + i] == run[i];
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }
}
