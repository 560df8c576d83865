using System.Globalization;
using System.Text;

namespace DeepLanguageNetworks;

/// <summary>An immutable snapshot of a <see cref="UsageTracker"/>: calls, cache hits, tokens and cost, in total and per slice.</summary>
/// <param name="Total">All calls.</param>
/// <param name="ByRole">Per <see cref="CallRole"/> (forward, backward, scoring, evaluation, …); roles without calls are absent.</param>
/// <param name="ByLayer">Per layer index (from <see cref="CallPurpose.Layer"/>; -1 collects calls not tied to a layer).</param>
/// <param name="ByPurpose">Per role and layer together.</param>
/// <param name="ByModel">Per model id (a network may use one model forward and another backward).</param>
/// <param name="UnpricedModels">Model ids missing from the price table, whose tokens are left out of the cost.</param>
public sealed record UsageReport(
    UsageCounts Total,
    IReadOnlyDictionary<CallRole, UsageCounts> ByRole,
    IReadOnlyDictionary<int, UsageCounts> ByLayer,
    IReadOnlyDictionary<CallPurpose, UsageCounts> ByPurpose,
    IReadOnlyDictionary<string, UsageCounts> ByModel,
    IReadOnlyList<string> UnpricedModels)
{
    /// <summary>A report of no calls.</summary>
    public static UsageReport Empty { get; } = new(
        UsageCounts.Empty,
        new Dictionary<CallRole, UsageCounts>(),
        new Dictionary<int, UsageCounts>(),
        new Dictionary<CallPurpose, UsageCounts>(),
        new Dictionary<string, UsageCounts>(),
        []);

    /// <summary>The counters of one role, or <see cref="UsageCounts.Empty"/> when it made no calls.</summary>
    /// <param name="role">The role.</param>
    /// <returns>The counters.</returns>
    public UsageCounts For(CallRole role) => ByRole.TryGetValue(role, out var counts) ? counts : UsageCounts.Empty;

    /// <summary>A few lines for a console or a log: totals, then one line per role.</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("total: ").Append(Describe(Total));
        foreach (var (role, counts) in ByRole.OrderBy(p => p.Key))
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {role}: ").Append(Describe(counts));
        }

        if (UnpricedModels.Count > 0)
        {
            text.AppendLine().Append("  no price for: ").Append(string.Join(", ", UnpricedModels));
        }

        return text.ToString();
    }

    private static string Describe(UsageCounts c) => string.Format(
        CultureInfo.InvariantCulture,
        "{0:N0} calls, {1:N0} cache hits ({2:P0}), {3:N0} failures, {4:N0} input + {5:N0} output tokens{6}",
        c.Calls, c.CacheHits, c.CacheHitRate, c.Failures, c.InputTokens, c.OutputTokens,
        c.Cost is { } cost ? string.Format(CultureInfo.InvariantCulture, ", cost {0:0.####}", cost) : string.Empty);
}
