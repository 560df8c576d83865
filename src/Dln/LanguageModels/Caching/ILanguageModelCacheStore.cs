namespace DeepLanguageNetworks;

/// <summary>
/// Where the cache decorator (<see cref="LanguageModelBuilderExtensions.UseCache(LanguageModelBuilder, ILanguageModelCacheStore, LanguageModelCacheOptions?, Microsoft.Extensions.Logging.ILoggerFactory?)"/>)
/// keeps responses: a key-value store of opaque byte payloads. For extension authors: implement it to keep the cache
/// elsewhere (a database, a shared service).
/// </summary>
/// <remarks>
/// <para>Keys are SHA-256 hex strings of the whole request (model, operation, every option, the sample index); payloads are UTF-8 JSON holding
/// only the response (text, token log-probabilities, usage, finish reason). Nothing else (no headers, no credentials)
/// is ever written, so a cache file can be shared.</para>
/// <para>Implementations must be safe for concurrent use. A store that fails (I/O error, corruption) should recover or
/// throw; the caching decorator treats a throwing store as a miss and keeps working without it for that call.</para>
/// <para>Implementations in the library: <see cref="InMemoryCacheStore"/>, <see cref="SqliteCacheStore"/> (the embedded
/// persistent default), <see cref="DistributedCacheStore"/> (any <c>IDistributedCache</c>: Redis, SQL Server, …; it
/// switches itself off for a while when the cache fails, instead of throwing), <see cref="TieredCacheStore"/> (a fast
/// store in front of a slower one), and <c>RedisCacheStore</c> in the Dln.Caching.Redis package.</para>
/// </remarks>
public interface ILanguageModelCacheStore
{
    /// <summary>Looks a payload up.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The stored payload, or <see langword="null"/> when the key is absent.</returns>
    ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a payload, replacing any payload already stored under <paramref name="key"/>.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="value">The payload. The store may keep the array; callers must not change it afterwards.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the payload is stored.</returns>
    ValueTask SetAsync(string key, byte[] value, CancellationToken cancellationToken = default);
}
