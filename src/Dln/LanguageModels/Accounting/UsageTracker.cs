namespace DeepLanguageNetworks;

/// <summary>
/// Counts language model calls, cache hits, failures and tokens per role, per layer and per model, and prices them
/// with an optional <see cref="PriceTable"/>. Thread-safe; one tracker may be shared by several models (for example
/// the forward and the backward model of a network) so that one budget covers them all.
/// </summary>
/// <remarks>
/// Fed by the usage-tracking decorator (<c>builder.UseUsageTracking(tracker)</c>). Read it with
/// <see cref="Snapshot"/>, and check a <see cref="UsageBudget"/> with <see cref="CheckBudget"/> at iteration
/// boundaries.
/// </remarks>
public sealed class UsageTracker
{
    private readonly object _gate = new();
    private readonly Dictionary<(CallRole Role, int Layer, string Model), Counters> _buckets = [];
    private readonly HashSet<string> _unpricedModels = new(StringComparer.Ordinal);
    private long _calls;
    private long _tokens;
    private decimal _cost;
    private int _inFlight;

    /// <summary>Creates an empty tracker.</summary>
    /// <param name="prices">Prices per model id to compute costs, or <see langword="null"/> to count tokens only.</param>
    public UsageTracker(PriceTable? prices = null) => Prices = prices;

    /// <summary>The prices used for costs, or <see langword="null"/>.</summary>
    public PriceTable? Prices { get; }

    /// <summary>Calls started through a tracking decorator and not finished yet.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Records a completed call.</summary>
    /// <param name="modelId">The model that answered.</param>
    /// <param name="purpose">The role and layer of the call.</param>
    /// <param name="usage">Tokens of the response.</param>
    /// <param name="fromCache">Whether the response came from a cache (or from an identical concurrent call): counted as a hit, its tokens as saved, not spent.</param>
    public void Record(string modelId, CallPurpose purpose, LanguageModelUsage usage, bool fromCache)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        var price = Prices?.Find(modelId);
        lock (_gate)
        {
            var counters = GetCounters(modelId, purpose);
            if (fromCache)
            {
                counters.CacheHits++;
                counters.SavedTokens += usage.TotalTokens;
                return;
            }

            counters.Calls++;
            counters.InputTokens += usage.InputTokens;
            counters.OutputTokens += usage.OutputTokens;
            _calls++;
            _tokens += usage.TotalTokens;
            if (price is not null)
            {
                var cost = price.CostOf(usage);
                counters.Cost += cost;
                _cost += cost;
            }
            else if (Prices is not null)
            {
                _unpricedModels.Add(modelId);
            }
        }
    }

    /// <summary>Records a call that failed (after any retries).</summary>
    /// <param name="modelId">The model called.</param>
    /// <param name="purpose">The role and layer of the call.</param>
    public void RecordFailure(string modelId, CallPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        lock (_gate)
        {
            GetCounters(modelId, purpose).Failures++;
        }
    }

    /// <summary>Whether what was spent so far has reached a limit of <paramref name="budget"/>.</summary>
    /// <param name="budget">The limits.</param>
    /// <returns><see langword="null"/> while within budget; otherwise a sentence saying which limit was reached.</returns>
    /// <exception cref="InvalidOperationException"><see cref="UsageBudget.MaxCost"/> is set but this tracker has no price table.</exception>
    public string? CheckBudget(UsageBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        lock (_gate)
        {
            return budget.Check(_calls, _tokens, Prices is null ? null : _cost);
        }
    }

    /// <summary>Copies the counters into an immutable report.</summary>
    /// <returns>The report.</returns>
    public UsageReport Snapshot()
    {
        KeyValuePair<(CallRole Role, int Layer, string Model), UsageCounts>[] buckets;
        string[] unpriced;
        lock (_gate)
        {
            buckets = _buckets.Select(b => KeyValuePair.Create(b.Key, b.Value.ToCounts(Prices is not null))).ToArray();
            unpriced = [.. _unpricedModels.Order(StringComparer.Ordinal)];
        }

        var total = buckets.Aggregate(Prices is null ? UsageCounts.Empty : UsageCounts.Empty with { Cost = 0m }, (sum, b) => sum + b.Value);
        return new UsageReport(
            total,
            Sum(buckets, k => k.Role),
            Sum(buckets, k => k.Layer),
            Sum(buckets, k => new CallPurpose(k.Role, k.Layer < 0 ? null : k.Layer)),
            Sum(buckets, k => k.Model),
            unpriced);
    }

    /// <summary>Sets every counter back to zero.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _buckets.Clear();
            _unpricedModels.Clear();
            _calls = 0;
            _tokens = 0;
            _cost = 0;
        }
    }

    // Reserves an in-flight call. With a hard limit, refuses when the calls made plus those in flight, or the tokens
    // or money spent, have reached it; returns the reason then.
    internal string? TryBeginCall(UsageBudget? hardLimit)
    {
        lock (_gate)
        {
            var reason = hardLimit?.Check(_calls + _inFlight, _tokens, Prices is null ? null : _cost);
            if (reason is null)
            {
                _inFlight++;
            }

            return reason;
        }
    }

    internal void EndCall()
    {
        lock (_gate)
        {
            _inFlight--;
        }
    }

    private static Dictionary<TKey, UsageCounts> Sum<TKey>(
        KeyValuePair<(CallRole Role, int Layer, string Model), UsageCounts>[] buckets, Func<(CallRole Role, int Layer, string Model), TKey> keyOf)
        where TKey : notnull
    {
        var result = new Dictionary<TKey, UsageCounts>();
        foreach (var (key, counts) in buckets)
        {
            var k = keyOf(key);
            result[k] = result.TryGetValue(k, out var sum) ? sum + counts : counts;
        }

        return result;
    }

    private Counters GetCounters(string modelId, CallPurpose purpose)
    {
        var key = (purpose.Role, purpose.Layer ?? -1, modelId);
        if (!_buckets.TryGetValue(key, out var counters))
        {
            counters = new Counters();
            _buckets.Add(key, counters);
        }

        return counters;
    }

    private sealed class Counters
    {
        public long Calls;
        public long CacheHits;
        public long Failures;
        public long InputTokens;
        public long OutputTokens;
        public long SavedTokens;
        public decimal Cost;

        public UsageCounts ToCounts(bool priced) =>
            new(Calls, CacheHits, Failures, InputTokens, OutputTokens, SavedTokens, priced ? Cost : null);
    }
}
