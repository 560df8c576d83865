using System.Globalization;

namespace DeepLanguageNetworks;

/// <summary><see cref="Metrics.Numeric(NumericMatchOptions?)"/>: the output's last number against the target's.</summary>
internal sealed class NumericMatchMetric(NumericMatchOptions options) : IMetric
{
    public string Name => "numeric";

    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["absoluteTolerance"] = options.AbsoluteTolerance.ToString("R", CultureInfo.InvariantCulture),
        ["relativeTolerance"] = options.RelativeTolerance.ToString("R", CultureInfo.InvariantCulture),
        ["partialCredit"] = options.PartialCredit ? "true" : "false",
    };

    public ValueTask<MetricScore> ScoreAsync(Example example, string output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(output);
        return ValueTask.FromResult(Score(NumberExtraction.Last(output), NumberExtraction.Last(example.Target), example.Target));
    }

    private MetricScore Score(double? o, double? t, string target)
    {
        if (t is not { } expected)
        {
            return MetricScore.Failure($"The correct output \"{target}\" has no number to compare with.");
        }

        if (o is not { } answer)
        {
            return MetricScore.Failure(Format($"The output contains no number; the correct number is {expected}."));
        }

        var difference = Math.Abs(answer - expected);

        // A rounding margin, so that 0.1 + 0.2 written out still equals 0.3.
        var allowed = Math.Max(options.AbsoluteTolerance, options.RelativeTolerance * Math.Abs(expected)) + (1e-9 * Math.Max(1, Math.Abs(expected)));
        if (difference <= allowed)
        {
            return MetricScore.Success();
        }

        var feedback = Format($"The output's number is {answer}, but the correct number is {expected} (off by {difference}).");
        var credit = options.PartialCredit && expected != 0 ? Math.Max(0, 1 - (difference / Math.Abs(expected))) : 0;
        return new MetricScore(Math.Min(credit, 1), feedback);
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
