namespace DeepLanguageNetworks;

/// <summary><see cref="Metrics.TokenF1"/>: F1 of the normalised words, counted with repetition.</summary>
internal sealed class TokenF1Metric : IMetric
{
    /// <summary>Most words listed in each part of the feedback.</summary>
    private const int ListedWords = 8;

    public string Name => "token F1";

    public ValueTask<MetricScore> ScoreAsync(Example example, string output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(output);
        return ValueTask.FromResult(Score(AnswerNormalizer.Words(output, splitIdeographs: true), AnswerNormalizer.Words(example.Target, splitIdeographs: true)));
    }

    internal static MetricScore Score(List<string> predicted, List<string> expected)
    {
        if (predicted.Count == 0 || expected.Count == 0)
        {
            return predicted.Count == expected.Count
                ? MetricScore.Success()
                : MetricScore.Failure(predicted.Count == 0 ? "The output is empty." : "The expected output is empty, but the output is not.");
        }

        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in expected)
        {
            remaining[w] = remaining.GetValueOrDefault(w) + 1;
        }

        var overlap = 0;
        var unexpected = new List<string>();
        foreach (var w in predicted)
        {
            if (remaining.GetValueOrDefault(w) > 0)
            {
                remaining[w]--;
                overlap++;
            }
            else
            {
                unexpected.Add(w);
            }
        }

        if (overlap == predicted.Count && overlap == expected.Count)
        {
            return MetricScore.Success();
        }

        // The missing words, in the target's order, each as often as it is missing.
        var missing = new List<string>();
        foreach (var w in expected)
        {
            if (remaining.GetValueOrDefault(w) > 0)
            {
                remaining[w]--;
                missing.Add(w);
            }
        }

        if (overlap == 0)
        {
            return MetricScore.Failure(Feedback(missing, unexpected));
        }

        var precision = (double)overlap / predicted.Count;
        var recall = (double)overlap / expected.Count;
        var f1 = 2 * precision * recall / (precision + recall);
        return new MetricScore(Math.Min(f1, 1), Feedback(missing, unexpected));
    }

    private static string Feedback(List<string> missing, List<string> unexpected)
    {
        var parts = new List<string>(2);
        if (missing.Count > 0)
        {
            parts.Add("Words of the correct output missing from the output: " + List(missing) + ".");
        }

        if (unexpected.Count > 0)
        {
            parts.Add("Words in the output that the correct output does not have: " + List(unexpected) + ".");
        }

        return string.Join(' ', parts);
    }

    private static string List(List<string> words) =>
        string.Join(", ", words.Take(ListedWords)) + (words.Count > ListedWords ? $" and {words.Count - ListedWords} more" : string.Empty);
}
