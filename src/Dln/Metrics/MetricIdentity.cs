using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>
/// Which metric a run used, as checkpoints, saved networks, run folders and results record it: the metric's
/// <see cref="IMetric.Name"/> and <see cref="IMetric.Settings"/>. Two identities are equal when the name and every
/// setting are (ordinal comparison).
/// </summary>
public sealed record MetricIdentity
{
    /// <summary>Creates an identity.</summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="settings">Its settings; empty for none.</param>
    [JsonConstructor]
    public MetricIdentity(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Settings = settings is null || settings.Count == 0
            ? Metrics.NoSettings
            : new SortedDictionary<string, string>(settings.ToDictionary(kv => kv.Key, kv => kv.Value ?? string.Empty, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>The identity of <see cref="Metrics.ExactMatch"/>, the metric of runs that recorded none (before metrics were recorded).</summary>
    public static MetricIdentity ExactMatch { get; } = Of(Metrics.ExactMatch);

    /// <summary>The metric's name.</summary>
    public string Name { get; }

    /// <summary>The metric's settings, by key.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The identity of <paramref name="metric"/>.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>Its name and settings.</returns>
    public static MetricIdentity Of(IMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return new MetricIdentity(metric.Name, metric.Settings);
    }

    /// <inheritdoc />
    public bool Equals(MetricIdentity? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal) && Settings.Count == other.Settings.Count &&
        Settings.All(kv => other.Settings.TryGetValue(kv.Key, out var v) && string.Equals(v, kv.Value, StringComparison.Ordinal));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Settings.Count);

    /// <summary>The name, with the settings in brackets: <c>numeric (absoluteTolerance=0.5, partialCredit=false, relativeTolerance=0)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        Settings.Count == 0 ? Name : $"{Name} ({string.Join(", ", Settings.Select(kv => $"{kv.Key}={kv.Value}"))})";
}
