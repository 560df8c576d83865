using System.Globalization;
using DeepLanguageNetworks.Caching.Redis;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.Samples;

/// <summary>
/// The samples' call cache, chosen by the <c>DLN_CACHE</c> environment variable: a SQLite file path (one machine;
/// re-runs and resumed runs cost nothing) or <c>redis://host:port</c> (shared by every machine that points at the
/// same Redis; <c>redis://:password@host:port</c> with a password, <c>rediss://</c> for TLS). Unset: the trainer's
/// run-scoped in-memory cache.
/// </summary>
/// <remarks>
/// Either store sits behind an in-memory level of 10,000 entries, so that a run re-reads its own recent responses
/// without a round trip, and goes on with it if Redis goes away (one warning on standard error).
/// </remarks>
public sealed class SampleCache : IDisposable
{
    /// <summary>The environment variable's name.</summary>
    public const string EnvironmentVariable = "DLN_CACHE";

    private const string Expected = "a SQLite file path (for example runs/cache.db) or a Redis URL redis://host:port (redis://:password@host:port with a password, rediss:// for TLS)";

    private readonly ILoggerFactory _loggers;
    private readonly TieredCacheStore _store;
    private readonly RedisCacheStore? _redis;

    private SampleCache(ILanguageModelCacheStore back, string description, ILoggerFactory loggers)
    {
        _store = new TieredCacheStore(new InMemoryCacheStore(maxEntries: 10_000), back, ownsStores: true);
        _redis = back as RedisCacheStore;
        Description = description;
        _loggers = loggers;
    }

    /// <summary>The store to give the trainer (<c>VariationalTrainerOptions.CacheStore</c>) or <c>UseCache</c>.</summary>
    public ILanguageModelCacheStore Store => _store;

    /// <summary>Where the cache is, for the console: <c>SQLite file /path/cache.db</c> or <c>Redis at host:port</c>; never a password.</summary>
    public string Description { get; }

    /// <summary>Opens the cache named by <c>DLN_CACHE</c>.</summary>
    /// <returns>The cache, or <see langword="null"/> when the variable is unset or blank.</returns>
    /// <exception cref="InvalidOperationException">The value is neither a usable file path nor a valid Redis URL; the message names <c>DLN_CACHE</c> and what was expected.</exception>
    public static SampleCache? FromEnvironment() => Open(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Opens the cache named by <c>DLN_CACHE</c> and, when there is one, says where it is (<c>cache: …</c>).</summary>
    /// <param name="console">Where the line goes, usually <see cref="Console.Out"/>.</param>
    /// <returns>The cache, or <see langword="null"/> when the variable is unset or blank.</returns>
    /// <exception cref="InvalidOperationException">As <see cref="FromEnvironment()"/>.</exception>
    public static SampleCache? FromEnvironment(TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var cache = FromEnvironment();
        if (cache is not null)
        {
            console.WriteLine($"cache: {cache.Description}");
        }

        return cache;
    }

    /// <summary>Opens the cache a <c>DLN_CACHE</c> value names.</summary>
    /// <param name="value">The value; <see langword="null"/> or blank for none.</param>
    /// <returns>The cache, or <see langword="null"/> for none.</returns>
    /// <exception cref="InvalidOperationException">The value is malformed, or the SQLite file cannot be opened; the message names <c>DLN_CACHE</c>.</exception>
    public static SampleCache? Open(string? value)
    {
        if (Parse(value) is not { } target)
        {
            return null;
        }

        // Cache warnings (Redis unavailable, a corrupted file set aside) go to standard error, apart from the output.
        var loggers = LoggerFactory.Create(b => b
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Information));
        try
        {
            ILanguageModelCacheStore back = target.Redis is { } redis
                ? RedisCacheStore.Connect(redis, logger: loggers.CreateLogger<RedisCacheStore>())
                : new SqliteCacheStore(target.SqlitePath!, loggers.CreateLogger<SqliteCacheStore>());
            return new SampleCache(back, target.Description, loggers);
        }
        catch (IOException ex)
        {
            loggers.Dispose();
            throw new InvalidOperationException($"{EnvironmentVariable}: cannot open the cache file '{target.SqlitePath}': {ex.Message}", ex);
        }
        catch
        {
            loggers.Dispose();
            throw;
        }
    }

    /// <summary>The line a sample prints at the end: how many calls the cache answered, and where it is.</summary>
    /// <param name="cache">The cache in use, or <see langword="null"/> for the run-scoped in-memory one.</param>
    /// <param name="calls">Calls that reached the backend.</param>
    /// <param name="cacheHits">Calls answered by the cache (or by an identical call in flight).</param>
    /// <returns>For example <c>cache: 412 of 1,030 requests answered (40 %) by Redis at cache-host:6379</c>.</returns>
    public static string Summary(SampleCache? cache, long calls, long cacheHits)
    {
        var requests = calls + cacheHits;
        var rate = requests == 0 ? 0 : (double)cacheHits / requests;
        var where = cache is null ? $"the run's in-memory cache (set {EnvironmentVariable} to keep responses across runs)"
            : cache._redis is { IsAvailable: false } ? $"the in-memory level ({cache.Description} was unavailable: see the warning above)"
            : cache.Description;
        return string.Format(CultureInfo.InvariantCulture, "cache: {0:N0} of {1:N0} requests answered ({2:P0}) by {3}", cacheHits, requests, rate, where);
    }

    /// <summary>The end-of-run line for a training result's usage.</summary>
    /// <param name="cache">The cache in use, or <see langword="null"/>.</param>
    /// <param name="usage">The run's usage (<c>TrainingResult.Usage</c>).</param>
    /// <returns>The line.</returns>
    public static string Summary(SampleCache? cache, UsageReport usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return Summary(cache, usage.Total.Calls, usage.Total.CacheHits);
    }

    /// <summary>Closes the cache (the SQLite file or the Redis connection).</summary>
    public void Dispose()
    {
        _store.Dispose();
        _loggers.Dispose();
    }

    /// <summary>Reads a <c>DLN_CACHE</c> value without opening anything.</summary>
    /// <param name="value">The value; <see langword="null"/> or blank for none.</param>
    /// <returns>The target, or <see langword="null"/> for none.</returns>
    /// <exception cref="InvalidOperationException">The value is malformed; the message names <c>DLN_CACHE</c> and never repeats a password.</exception>
    internal static CacheTarget? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var name = text[..scheme];
            if (!name.Equals("redis", StringComparison.OrdinalIgnoreCase) && !name.Equals("rediss", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{EnvironmentVariable} must be {Expected}; got a URL of scheme '{name}'.");
            }

            try
            {
                var redis = RedisCacheStore.ParseConfiguration(name.ToLowerInvariant() + text[scheme..]);
                return new CacheTarget(null, redis, $"Redis at {RedisCacheStore.DescribeEndpoints(redis)}");
            }
            catch (ArgumentException ex)
            {
                var reason = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
                throw new InvalidOperationException($"{EnvironmentVariable}: {reason}", ex);
            }
        }

        string path;
        try
        {
            path = Path.GetFullPath(text);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InvalidOperationException($"{EnvironmentVariable} must be {Expected}; the value is not a valid file path ({ex.Message}).", ex);
        }

        if (Directory.Exists(path) || text.EndsWith('/') || text.EndsWith(Path.DirectorySeparatorChar))
        {
            throw new InvalidOperationException($"{EnvironmentVariable} names the folder '{path}'; give the cache file inside it, for example {Path.Combine(path, "cache.db")}.");
        }

        return new CacheTarget(path, null, $"SQLite file {path}");
    }
}
