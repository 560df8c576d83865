using StackExchange.Redis;

namespace DeepLanguageNetworks.Samples;

/// <summary>Where <c>DLN_CACHE</c> says the samples keep their call cache, as parsed (nothing opened yet).</summary>
/// <param name="SqlitePath">The SQLite file's full path, or <see langword="null"/> for Redis.</param>
/// <param name="Redis">The Redis configuration, or <see langword="null"/> for SQLite.</param>
/// <param name="Description">One line for the console, never a password: <c>SQLite file /path/cache.db</c> or <c>Redis at host:port</c>.</param>
internal sealed record CacheTarget(string? SqlitePath, ConfigurationOptions? Redis, string Description);
