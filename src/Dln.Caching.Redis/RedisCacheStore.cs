using System.Globalization;
using System.Net;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DeepLanguageNetworks.Caching.Redis;

/// <summary>
/// A language model call cache in Redis, shared by every process and machine that connects to the same server: a
/// sweep over tasks and seeds, or one run per developer against the same hosted model, pays for each distinct call
/// once. Built on <c>Microsoft.Extensions.Caching.StackExchangeRedis</c> (<see cref="RedisCache"/>) behind a
/// <see cref="DistributedCacheStore"/>. Thread-safe.
/// </summary>
/// <remarks>
/// <para>A Redis that is down when the store connects, or goes away during a run, never fails a training call: the
/// first failed or timed-out operation logs one warning (event id <see cref="LanguageModelLogEvents.CacheStoreUnavailable"/>)
/// and the run goes on without the cache, with the same results; the store tries Redis again every
/// <see cref="RedisCacheStoreOptions.RetryInterval"/> and uses it again once it answers. Commands are never queued
/// while the connection is down (StackExchange.Redis's fail-fast backlog policy), so an unavailable Redis costs
/// microseconds per call, and a hung one at most <see cref="RedisCacheStoreOptions.OperationTimeout"/> once per retry
/// interval.</para>
/// <para>Each response is one Redis hash under <see cref="KeyPrefix"/> followed by its <see cref="LanguageModelCacheKey"/>
/// (a SHA-256 of model, operation and every request option, sample index included), holding the response payload
/// only. Credentials (API keys, the Redis password) are never written.</para>
/// <para>Identical calls in flight at the same moment are merged within one process by <see cref="CachingLanguageModel"/>;
/// two processes that make the same call at the same moment both pay for it (a response becomes shared when it is
/// stored), so a distinct request reaches the backend at most once per process.</para>
/// <para>For a local level in front, wrap it: <c>new TieredCacheStore(new InMemoryCacheStore(10_000), redisStore, ownsStores: true)</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// using var cache = RedisCacheStore.Connect("redis://cache-host:6379");
/// var trainer = new VariationalTrainer(model, VariationalTrainerOptions.Dln1 with { CacheStore = cache });
/// </code>
/// </example>
public sealed class RedisCacheStore : ILanguageModelCacheStore, IDisposable, IAsyncDisposable
{
    private const int DefaultPort = 6379;

    private readonly IConnectionMultiplexer _connection;
    private readonly RedisCache _redisCache;
    private readonly DistributedCacheStore _store;
    private int _disposed;

    private RedisCacheStore(IConnectionMultiplexer connection, ConfigurationOptions configuration, RedisCacheStoreOptions options, ILogger? logger)
    {
        _connection = connection;
        Endpoint = DescribeEndpoints(configuration);
        KeyPrefix = options.KeyPrefix;
        _redisCache = new RedisCache(Options.Create(new RedisCacheOptions
        {
            ConnectionMultiplexerFactory = () => Task.FromResult(connection),
        }));
        _store = new DistributedCacheStore(_redisCache, new DistributedCacheStoreOptions
        {
            KeyPrefix = options.KeyPrefix,
            EntryOptions = options.EntryOptions,
            // StackExchange.Redis times commands out itself; this bound also covers what happens around them.
            OperationTimeout = options.OperationTimeout + TimeSpan.FromMilliseconds(500),
            RetryInterval = options.RetryInterval,
            DisplayName = $"Redis at {Endpoint}",
        }, logger);
    }

    /// <summary>The server(s) as <c>host:port</c>, comma-separated; never the password.</summary>
    public string Endpoint { get; }

    /// <summary>The prefix put in front of every key.</summary>
    public string KeyPrefix { get; }

    /// <summary>Whether the connection to Redis is up now.</summary>
    public bool IsConnected => _connection.IsConnected;

    /// <summary>
    /// Whether the cache is in use: <see langword="false"/> from a failure until an operation after the retry interval
    /// succeeds again.
    /// </summary>
    public bool IsAvailable => _store.IsAvailable;

    /// <summary>
    /// Connects to Redis. Returns once connected, or after <see cref="RedisCacheStoreOptions.ConnectTimeout"/> when
    /// Redis is unreachable: the store then works without a cache (one warning at the first call) and keeps trying to
    /// connect in the background.
    /// </summary>
    /// <param name="configuration">A URL (<c>redis://host:port</c>, <c>redis://:password@host:port</c>,
    /// <c>redis://user:password@host:port/database</c>, <c>rediss://…</c> for TLS) or a StackExchange.Redis
    /// configuration string (<c>host:port,password=…,ssl=true</c>). See <see cref="ParseConfiguration"/>.</param>
    /// <param name="options">Key prefix, expiration, timeouts; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives the warning when Redis is unavailable and the notice when it is back.</param>
    /// <returns>The store; dispose it to close the connection.</returns>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is malformed, or an option is out of range; the message says what was expected.</exception>
    public static RedisCacheStore Connect(string configuration, RedisCacheStoreOptions? options = null, ILogger? logger = null) =>
        Connect(ParseConfiguration(configuration), options, logger);

    /// <summary>Connects to Redis with a StackExchange.Redis configuration; as <see cref="Connect(string, RedisCacheStoreOptions?, ILogger?)"/>.</summary>
    /// <param name="configuration">The configuration; copied, then its timeouts and retry behaviour are set from <paramref name="options"/>.</param>
    /// <param name="options">Key prefix, expiration, timeouts; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives the warning when Redis is unavailable and the notice when it is back.</param>
    /// <returns>The store; dispose it to close the connection.</returns>
    /// <exception cref="ArgumentException">An option is out of range, or the configuration names no server.</exception>
    public static RedisCacheStore Connect(ConfigurationOptions configuration, RedisCacheStoreOptions? options = null, ILogger? logger = null)
    {
        var (config, settings) = Prepare(configuration, options);
        return new RedisCacheStore(ConnectionMultiplexer.Connect(config), config, settings, logger);
    }

    /// <summary>Connects to Redis without blocking a thread; as <see cref="Connect(string, RedisCacheStoreOptions?, ILogger?)"/>.</summary>
    /// <param name="configuration">A <c>redis://</c> URL or a StackExchange.Redis configuration string.</param>
    /// <param name="options">Key prefix, expiration, timeouts; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives the warning when Redis is unavailable and the notice when it is back.</param>
    /// <returns>The store; dispose it to close the connection.</returns>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is malformed, or an option is out of range.</exception>
    public static async Task<RedisCacheStore> ConnectAsync(string configuration, RedisCacheStoreOptions? options = null, ILogger? logger = null)
    {
        var (config, settings) = Prepare(ParseConfiguration(configuration), options);
        return new RedisCacheStore(await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false), config, settings, logger);
    }

    /// <summary>
    /// Reads a Redis address: a URL <c>redis://[[user]:password@]host[:port][/database]</c> (<c>rediss://</c> for TLS;
    /// port 6379 by default; user and password percent-encoded) or a StackExchange.Redis configuration string such as
    /// <c>host:6379,password=secret,ssl=true</c>.
    /// </summary>
    /// <param name="configuration">The address.</param>
    /// <returns>The parsed configuration.</returns>
    /// <exception cref="ArgumentException">The address is malformed. The message says what was expected and never repeats the address (it may hold a password).</exception>
    public static ConfigurationOptions ParseConfiguration(string configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration.Trim();
        if (text.Length == 0)
        {
            throw new ArgumentException("The Redis address is empty: expected redis://host:port (or a StackExchange.Redis configuration string).", nameof(configuration));
        }

        var result = text.Contains("://", StringComparison.Ordinal) ? ParseUrl(text) : ParseConfigurationString(text);
        if (result.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis address names no server: expected redis://host:port.", nameof(configuration));
        }

        return result;
    }

    /// <summary>
    /// The server(s) of a configuration as <c>host:port</c>, comma-separated, for messages; never the password.
    /// </summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>For example <c>cache-host:6379</c>.</returns>
    public static string DescribeEndpoints(ConfigurationOptions configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.Join(",", configuration.EndPoints.Select(e => e switch
        {
            DnsEndPoint dns => $"{dns.Host}:{dns.Port.ToString(CultureInfo.InvariantCulture)}",
            IPEndPoint ip => ip.ToString(),
            _ => e.ToString() ?? "?",
        }));
    }

    /// <inheritdoc />
    public ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _store.TryGetAsync(key, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _store.SetAsync(key, value, cancellationToken);
    }

    /// <summary>Closes the connection; entries stay in Redis.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _redisCache.Dispose();
            _connection.Dispose();
        }
    }

    /// <summary>Closes the connection; entries stay in Redis.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _redisCache.Dispose();
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static (ConfigurationOptions Configuration, RedisCacheStoreOptions Options) Prepare(ConfigurationOptions configuration, RedisCacheStoreOptions? options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        options ??= new RedisCacheStoreOptions();
        options.Validate();
        if (configuration.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration names no server: add an endpoint such as localhost:6379.", nameof(configuration));
        }

        var config = configuration.Clone();

        // Keep trying in the background instead of failing when Redis is down at start; connect once (not three
        // times) so that an unreachable Redis costs one ConnectTimeout; never queue commands while disconnected, so
        // that they fail at once and the store switches itself off rather than making every call wait.
        config.AbortOnConnectFail = false;
        config.ConnectRetry = 1;
        config.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        config.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        config.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ClientName ??= "dln";
        return (config, options);
    }

    private static ConfigurationOptions ParseUrl(string configuration)
    {
        const string Expected = "expected redis://host:port, redis://:password@host:port or redis://user:password@host:port/database (rediss:// for TLS)";
        if (!Uri.TryCreate(configuration, UriKind.Absolute, out var uri) || (uri.Scheme != "redis" && uri.Scheme != "rediss"))
        {
            throw new ArgumentException($"The Redis address is not a valid redis:// URL: {Expected}.", nameof(configuration));
        }

        if (string.IsNullOrEmpty(uri.DnsSafeHost))
        {
            throw new ArgumentException($"The Redis address names no host: {Expected}.", nameof(configuration));
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ArgumentException($"The Redis address has a query or fragment, which is not supported: {Expected}.", nameof(configuration));
        }

        var config = new ConfigurationOptions { Ssl = uri.Scheme == "rediss" };
        var port = uri.Port > 0 ? uri.Port : DefaultPort;
        config.EndPoints.Add(uri.DnsSafeHost, port);
        if (config.Ssl)
        {
            config.SslHost = uri.DnsSafeHost;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new ArgumentException($"The Redis address has a user but no password (the password goes after a colon): {Expected}.", nameof(configuration));
            }

            var user = Uri.UnescapeDataString(uri.UserInfo[..colon]);
            config.User = user.Length > 0 ? user : null;
            config.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var database))
            {
                throw new ArgumentException($"The path of the Redis address must be a database number such as /0: {Expected}.", nameof(configuration));
            }

            config.DefaultDatabase = database;
        }

        return config;
    }

    private static ConfigurationOptions ParseConfigurationString(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException ex)
        {
            // StackExchange.Redis names the offending keyword, never its value.
            throw new ArgumentException($"The Redis configuration string is malformed ({ex.Message}); expected host:port[,password=…][,ssl=true], or a redis://host:port URL.", nameof(configuration), ex);
        }
    }
}
