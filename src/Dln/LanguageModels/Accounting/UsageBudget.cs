using System.Globalization;

namespace DeepLanguageNetworks;

/// <summary>
/// Limits on what a run may spend: backend calls, tokens and money. Any limit left <see langword="null"/> is not
/// checked. Cache hits are free and never count. Validated when set.
/// </summary>
/// <remarks>
/// Two ways to use it: <see cref="UsageTracker.CheckBudget"/> at iteration boundaries (the trainer stops cleanly after
/// a whole iteration), and a hard stop in the usage-tracking decorator (<see cref="LanguageModelBuilderExtensions.UseUsageTracking"/>) that throws
/// <see cref="BudgetExceededException"/> before a call would go over it.
/// </remarks>
public sealed record UsageBudget
{
    private readonly long? _maxCalls;
    private readonly long? _maxTokens;
    private readonly decimal? _maxCost;

    /// <summary>The most backend calls, or <see langword="null"/> for no limit. Must be positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public long? MaxCalls
    {
        get => _maxCalls;
        init => _maxCalls = value is <= 0
            ? throw new ArgumentOutOfRangeException(nameof(MaxCalls), value, $"MaxCalls must be positive, or null for no limit (got {value}).")
            : value;
    }

    /// <summary>The most input plus output tokens, or <see langword="null"/> for no limit. Must be positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public long? MaxTokens
    {
        get => _maxTokens;
        init => _maxTokens = value is <= 0
            ? throw new ArgumentOutOfRangeException(nameof(MaxTokens), value, $"MaxTokens must be positive, or null for no limit (got {value}).")
            : value;
    }

    /// <summary>
    /// The most money, in the currency of the tracker's <see cref="PriceTable"/>, or <see langword="null"/> for no
    /// limit. Needs a tracker with a price table. Must be positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public decimal? MaxCost
    {
        get => _maxCost;
        init => _maxCost = value is <= 0
            ? throw new ArgumentOutOfRangeException(nameof(MaxCost), value, $"MaxCost must be positive, or null for no limit (got {value}).")
            : value;
    }

    /// <summary>Whether a report has reached any limit of this budget.</summary>
    /// <param name="usage">What was spent (a tracker's snapshot, or a dry-run estimate).</param>
    /// <returns><see langword="null"/> while within budget; otherwise a sentence saying which limit was reached and by how much.</returns>
    /// <exception cref="InvalidOperationException"><see cref="MaxCost"/> is set but the report has no cost (no price table).</exception>
    public string? Check(UsageReport usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return Check(usage.Total.Calls, usage.Total.TotalTokens, usage.Total.Cost);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (MaxCalls is { } calls)
        {
            parts.Add(string.Format(CultureInfo.InvariantCulture, "MaxCalls = {0:N0}", calls));
        }

        if (MaxTokens is { } tokens)
        {
            parts.Add(string.Format(CultureInfo.InvariantCulture, "MaxTokens = {0:N0}", tokens));
        }

        if (MaxCost is { } cost)
        {
            parts.Add(string.Format(CultureInfo.InvariantCulture, "MaxCost = {0:0.####}", cost));
        }

        return parts.Count == 0 ? "no limit" : string.Join(", ", parts);
    }

    /// <summary>
    /// Whether given figures reach any limit of this budget; use it on a projection (a dry-run estimate) as well as on
    /// what was spent.
    /// </summary>
    /// <param name="calls">Backend calls (cache hits excluded).</param>
    /// <param name="tokens">Input plus output tokens.</param>
    /// <param name="cost">Money, or <see langword="null"/> when unknown.</param>
    /// <returns><see langword="null"/> while within budget; otherwise a sentence saying which limit was reached and by how much.</returns>
    /// <exception cref="InvalidOperationException"><see cref="MaxCost"/> is set but <paramref name="cost"/> is <see langword="null"/>.</exception>
    public string? Check(long calls, long tokens, decimal? cost = null)
    {
        if (MaxCalls is { } maxCalls && calls >= maxCalls)
        {
            return string.Format(CultureInfo.InvariantCulture,
                "Usage budget reached: {0:N0} backend calls made (or in flight), and MaxCalls is {1:N0}.", calls, maxCalls);
        }

        if (MaxTokens is { } maxTokens && tokens >= maxTokens)
        {
            return string.Format(CultureInfo.InvariantCulture,
                "Usage budget reached: {0:N0} tokens spent, and MaxTokens is {1:N0}.", tokens, maxTokens);
        }

        if (MaxCost is { } maxCost)
        {
            if (cost is not { } spent)
            {
                throw new InvalidOperationException(
                    "The usage budget sets MaxCost, but the usage has no cost: give the UsageTracker a PriceTable (or pass a cost).");
            }

            if (spent >= maxCost)
            {
                return string.Format(CultureInfo.InvariantCulture,
                    "Usage budget reached: {0:0.####} spent, and MaxCost is {1:0.####}.", spent, maxCost);
            }
        }

        return null;
    }
}
