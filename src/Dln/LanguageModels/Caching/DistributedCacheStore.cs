using Microsoft.Extensions.Caching.Distributed;

namespace DeepLanguageNetworks;

/// <summary>
/// Adapts any <see cref="IDistributedCache"/> (Redis, SQL Server, NCache, <c>MemoryDistributedCache</c>, …) to
/// <see cref="ILanguageModelCacheStore"/>, so several machines training against the same backend share one cache.
/// Thread-safe when the underlying cache is (all Microsoft implementations are).
/// </summary>
public sealed class DistributedCacheStore : ILanguageModelCacheStore
{
    private readonly IDistributedCache _cache;
    private readonly DistributedCacheEntryOptions _entryOptions;

    /// <summary>Wraps a distributed cache.</summary>
    /// <param name="cache">The cache to store responses in.</param>
    /// <param name="keyPrefix">Put in front of every key so that Dln entries do not collide with other users of the same cache. Default <c>dln:</c>.</param>
    /// <param name="entryOptions">Expiration of the entries; by default entries never expire.</param>
    public DistributedCacheStore(IDistributedCache cache, string keyPrefix = "dln:", DistributedCacheEntryOptions? entryOptions = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _cache = cache;
        KeyPrefix = keyPrefix;
        _entryOptions = entryOptions ?? new DistributedCacheEntryOptions();
    }

    /// <summary>The prefix put in front of every key.</summary>
    public string KeyPrefix { get; }

    /// <inheritdoc />
    public async ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await _cache.GetAsync(KeyPrefix + key, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        await _cache.SetAsync(KeyPrefix + key, value, _entryOptions, cancellationToken).ConfigureAwait(false);
    }
}
