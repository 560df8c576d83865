namespace DeepLanguageNetworks;

/// <summary>
/// Prices per model id, to turn token counts into money in <see cref="UsageTracker"/>. The library ships no prices
/// (they change); fill the table from your provider's price list. Immutable and thread-safe.
/// </summary>
/// <example>
/// <code>
/// var prices = new PriceTable(new Dictionary&lt;string, ModelPrice&gt;
/// {
///     ["gpt-4o-mini"] = new(inputPerMillionTokens: 0.15m, outputPerMillionTokens: 0.60m),
/// });
/// </code>
/// </example>
public sealed class PriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices;

    /// <summary>Creates a table.</summary>
    /// <param name="prices">Price per model id (compared without regard to case).</param>
    /// <exception cref="ArgumentException">A model id is empty or appears twice.</exception>
    public PriceTable(IEnumerable<KeyValuePair<string, ModelPrice>> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        _prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var (modelId, price) in prices)
        {
            if (string.IsNullOrWhiteSpace(modelId))
            {
                throw new ArgumentException("A model id in the price table is empty.", nameof(prices));
            }

            ArgumentNullException.ThrowIfNull(price);
            if (!_prices.TryAdd(modelId, price))
            {
                throw new ArgumentException($"The model id '{modelId}' appears twice in the price table.", nameof(prices));
            }
        }
    }

    /// <summary>The prices, by model id.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices => _prices;

    /// <summary>
    /// Finds the price of <paramref name="modelId"/>: an exact match, or else the longest model id in the table that
    /// starts it (so <c>gpt-4o-mini</c> prices the snapshot <c>gpt-4o-mini-2024-07-18</c>).
    /// </summary>
    /// <param name="modelId">The model id reported by the backend.</param>
    /// <returns>The price, or <see langword="null"/> when the table has none.</returns>
    public ModelPrice? Find(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        if (_prices.TryGetValue(modelId, out var price))
        {
            return price;
        }

        ModelPrice? best = null;
        var bestLength = 0;
        foreach (var (id, candidate) in _prices)
        {
            if (id.Length > bestLength && modelId.StartsWith(id, StringComparison.OrdinalIgnoreCase))
            {
                best = candidate;
                bestLength = id.Length;
            }
        }

        return best;
    }
}
