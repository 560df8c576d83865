using System.Globalization;

namespace DeepLanguageNetworks;

/// <summary>A user's metric from a function (<see cref="Metrics.FromFunction(string, Func{Example, string, double})"/>), named by the user.</summary>
internal sealed class DelegateMetric : IMetric
{
    private readonly Func<Example, string, CancellationToken, ValueTask<MetricScore>> _score;

    public DelegateMetric(string name, Func<Example, string, CancellationToken, ValueTask<MetricScore>> score, IReadOnlyDictionary<string, string>? settings)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A metric made from a function needs a name: it identifies the metric in checkpoints and saved networks.", nameof(name));
        }

        Name = name;
        _score = score;
        Settings = settings is null ? Metrics.NoSettings : new Dictionary<string, string>(settings, StringComparer.Ordinal);
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

    public ValueTask<MetricScore> ScoreAsync(Example example, string output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(output);
        return _score(example, output, cancellationToken);
    }

    /// <summary>A function's plain score as a <see cref="MetricScore"/>, refusing one outside [0, 1] with the metric's name.</summary>
    public static MetricScore Checked(string name, double score) =>
        score is >= 0 and <= 1
            ? new MetricScore(score)
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The metric '{name}' returned {score}; a metric score must be a number in [0, 1] (1: a full success, 0: a failure)."));
}
