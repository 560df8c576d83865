using Microsoft.Extensions.Caching.Distributed;

namespace DeepLanguageNetworks;

/// <summary>Settings of <see cref="DistributedCacheStore"/>. Validated when the store is created.</summary>
public sealed class DistributedCacheStoreOptions
{
    /// <summary>
    /// Put in front of every key so that Dln entries do not collide with other users of the same cache. Default
    /// <c>dln:</c>. Stores with different prefixes on one server are separate caches.
    /// </summary>
    public string KeyPrefix { get; init; } = "dln:";

    /// <summary>Expiration of the entries; <see langword="null"/> (the default) keeps them until the cache evicts them.</summary>
    public DistributedCacheEntryOptions? EntryOptions { get; init; }

    /// <summary>
    /// The longest a read or a write may take before it counts as a failure of the cache (the call then goes on
    /// without it). Default 5 seconds; <see cref="Timeout.InfiniteTimeSpan"/> waits as long as the cache does.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a failure, how long the store stays switched off (reads are misses, writes are dropped, nothing is sent
    /// to the cache) before one operation tries the cache again. Default 30 seconds. <see cref="TimeSpan.Zero"/> tries
    /// again at the next operation.
    /// </summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How the cache is named in log messages, for example <c>Redis at cache-host:6379</c>; never put a password here.
    /// <see langword="null"/> (the default) uses the cache's type name.
    /// </summary>
    public string? DisplayName { get; init; }

    /// <summary>The clock that times the retry interval; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (KeyPrefix is null)
        {
            throw new ArgumentException("DistributedCacheStoreOptions.KeyPrefix must not be null (use an empty string for no prefix).", nameof(KeyPrefix));
        }

        if (OperationTimeout <= TimeSpan.Zero && OperationTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(OperationTimeout), OperationTimeout,
                "DistributedCacheStoreOptions.OperationTimeout must be positive, or Timeout.InfiniteTimeSpan for no limit.");
        }

        if (RetryInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryInterval), RetryInterval, "DistributedCacheStoreOptions.RetryInterval must not be negative.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("DistributedCacheStoreOptions.TimeProvider must not be null.", nameof(TimeProvider));
        }
    }
}
