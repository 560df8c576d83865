using Microsoft.Extensions.Caching.Distributed;

namespace DeepLanguageNetworks.Caching.Redis;

/// <summary>
/// Settings of <see cref="RedisCacheStore"/>. The defaults suit a Redis on the same network: short timeouts, so that a
/// Redis that goes away costs at most a couple of seconds once, and then nothing per call. Validated when the store
/// connects.
/// </summary>
public sealed class RedisCacheStoreOptions
{
    /// <summary>
    /// Put in front of every key, so that Dln entries do not collide with other users of the same Redis database.
    /// Default <c>dln:</c>. Teams that want separate caches on one server give each a different prefix.
    /// </summary>
    public string KeyPrefix { get; init; } = "dln:";

    /// <summary>
    /// Expiration of the entries; <see langword="null"/> (the default) keeps them until Redis evicts them (under its
    /// <c>maxmemory-policy</c>) or someone deletes them.
    /// </summary>
    public DistributedCacheEntryOptions? EntryOptions { get; init; }

    /// <summary>How long connecting may take before Redis counts as unreachable. Default 2 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one read or write may take before it counts as a failure (and the store switches itself off for
    /// <see cref="RetryInterval"/>). Default 2 seconds; a healthy Redis answers in well under a millisecond.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After a failure, how long the store goes without Redis before trying it again. Default 30 seconds. In between,
    /// lookups are misses and responses are not stored, at no cost per call.
    /// </summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(KeyPrefix, nameof(KeyPrefix));
        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(OperationTimeout, nameof(OperationTimeout));
        if (RetryInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryInterval), RetryInterval, "RedisCacheStoreOptions.RetryInterval must not be negative.");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        // StackExchange.Redis takes whole milliseconds in an int.
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, value, $"RedisCacheStoreOptions.{name} must be positive (and under 24 days).");
        }
    }
}
