namespace DeepLanguageNetworks;

/// <summary>Counters of language model calls for one slice of a <see cref="UsageReport"/> (a role, a layer, a model, or all calls).</summary>
/// <param name="Calls">Calls answered by the backend (tokens spent).</param>
/// <param name="CacheHits">Calls answered by the cache or by sharing an identical concurrent call (nothing spent).</param>
/// <param name="Failures">Calls that failed after any retries (cancellations are not failures).</param>
/// <param name="InputTokens">Input tokens spent by <paramref name="Calls"/>.</param>
/// <param name="OutputTokens">Output tokens spent by <paramref name="Calls"/>.</param>
/// <param name="SavedTokens">Input plus output tokens the cache hits would have cost.</param>
/// <param name="Cost">The price of the spent tokens, or <see langword="null"/> when the tracker has no <see cref="PriceTable"/>.</param>
public sealed record UsageCounts(long Calls, long CacheHits, long Failures, long InputTokens, long OutputTokens, long SavedTokens, decimal? Cost)
{
    /// <summary>No calls.</summary>
    public static UsageCounts Empty { get; } = new(0, 0, 0, 0, 0, 0, null);

    /// <summary>Input plus output tokens spent.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>All requests made: backend calls plus cache hits.</summary>
    public long Requests => Calls + CacheHits;

    /// <summary>The fraction of requests answered by the cache, or 0 when there were none.</summary>
    public double CacheHitRate => Requests == 0 ? 0 : (double)CacheHits / Requests;

    /// <summary>Adds two sets of counters.</summary>
    /// <param name="left">The first counters.</param>
    /// <param name="right">The second counters.</param>
    /// <returns>The element-wise sum; the cost is <see langword="null"/> only when both costs are.</returns>
    public static UsageCounts operator +(UsageCounts left, UsageCounts right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(
            left.Calls + right.Calls,
            left.CacheHits + right.CacheHits,
            left.Failures + right.Failures,
            left.InputTokens + right.InputTokens,
            left.OutputTokens + right.OutputTokens,
            left.SavedTokens + right.SavedTokens,
            left.Cost is null && right.Cost is null ? null : (left.Cost ?? 0) + (right.Cost ?? 0));
    }
}
