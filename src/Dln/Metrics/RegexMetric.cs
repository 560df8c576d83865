using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace DeepLanguageNetworks;

/// <summary>
/// <see cref="Metrics.Regex"/> (a fixed pattern: a format check) and <see cref="Metrics.TargetPattern"/> (each target
/// is the pattern). Matching stops after one second, so that a catastrophic pattern cannot stall a run.
/// </summary>
internal sealed class RegexMetric : IMetric
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);
    private readonly Regex? _pattern;
    private readonly RegexOptions _options;
    private readonly ConcurrentDictionary<string, Regex> _targetPatterns = new(StringComparer.Ordinal);

    public RegexMetric(string? pattern, RegexOptions options)
    {
        _options = options;
        if (pattern is not null)
        {
            try
            {
                _pattern = new Regex(pattern, options, MatchTimeout);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"The metric's pattern \"{pattern}\" is not a valid regular expression: {ex.Message}", nameof(pattern), ex);
            }
        }

        Settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pattern"] = pattern ?? "(each example's target)",
            ["options"] = options.ToString(),
        };
    }

    public string Name => "regex";

    public IReadOnlyDictionary<string, string> Settings { get; }

    public ValueTask<MetricScore> ScoreAsync(Example example, string output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(output);
        var regex = _pattern ?? _targetPatterns.GetOrAdd(example.Target, TargetRegex, (example, _options));
        try
        {
            return ValueTask.FromResult(regex.IsMatch(output)
                ? MetricScore.Success()
                : MetricScore.Failure($"The output does not match the pattern {regex}."));
        }
        catch (RegexMatchTimeoutException)
        {
            return ValueTask.FromResult(MetricScore.Failure($"Matching the pattern {regex} took longer than {MatchTimeout.TotalSeconds:0} s; counted as no match."));
        }
    }

    private static Regex TargetRegex(string target, (Example Example, RegexOptions Options) state)
    {
        try
        {
            return new Regex(target, state.Options, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            var where = state.Example.Source is { } source ? $" ({source})" : string.Empty;
            throw new ArgumentException($"The target \"{target}\"{where} is not a valid regular expression, as the metric TargetPattern needs: {ex.Message}", ex);
        }
    }
}
