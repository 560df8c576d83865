using System.Diagnostics;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepLanguageNetworks;

/// <summary>
/// Adapts any <see cref="IDistributedCache"/> (Redis, SQL Server, NCache, <c>MemoryDistributedCache</c>, …) to
/// <see cref="ILanguageModelCacheStore"/>, so several machines training against the same backend share one cache.
/// A cache that fails or hangs is switched off for a while instead of failing or slowing the calls. Thread-safe when
/// the underlying cache is (all Microsoft implementations are).
/// </summary>
/// <remarks>
/// <para><b>When the cache goes away.</b> Every read and write is bounded by
/// <see cref="DistributedCacheStoreOptions.OperationTimeout"/>. The first failure (an exception or a timeout) logs
/// one warning (event id <see cref="LanguageModelLogEvents.CacheStoreUnavailable"/>) and switches the store off:
/// for <see cref="DistributedCacheStoreOptions.RetryInterval"/> reads are misses and writes are dropped without
/// touching the cache, so a dead server costs nothing per call; then a single operation tries the cache again while
/// the others still skip it. Further failures of the same outage are logged at Debug level only; the store's return
/// is logged once (Information, event id <see cref="LanguageModelLogEvents.CacheStoreRestored"/>). Training goes on
/// with the same results, paying the backend for what the cache would have answered. Cancellation by the caller is
/// not a failure and is passed on.</para>
/// <para><b>Why <see cref="IDistributedCache"/> and not <c>HybridCache</c>.</b> HybridCache
/// (Microsoft.Extensions.Caching.Hybrid) is a get-or-create API that owns the call it caches; what it adds on top of
/// a distributed cache is already here: identical concurrent requests share one backend call in
/// <see cref="CachingLanguageModel"/> (with Dln's accounting and cancellation rules), and a local level in front of
/// the shared one is a <see cref="TieredCacheStore"/> with an <see cref="InMemoryCacheStore"/>. Its stampede
/// protection, like Dln's, covers one process only, so it would not stop two machines from making the same call
/// either. It gives every distributed entry a finite lifetime and wraps payloads in its own envelope, where a call
/// cache should keep paid-for responses as long as the user wants, and it has no equivalent of the switch-off above
/// (each call to a dead server would wait for its timeout). So the store stays a thin, dependency-free adapter.</para>
/// <para>Entries are stored under <see cref="KeyPrefix"/> followed by the <see cref="LanguageModelCacheKey"/> (a
/// SHA-256 hex string); values are the payloads written by <see cref="CachingLanguageModel"/>: the response only,
/// never a credential or a header.</para>
/// </remarks>
public sealed partial class DistributedCacheStore : ILanguageModelCacheStore
{
    private readonly IDistributedCache _cache;
    private readonly DistributedCacheEntryOptions _entryOptions;
    private readonly DistributedCacheStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _displayName;
    private readonly object _gate = new();

    // Outage state; _unavailable is read without the lock on the hot path, changed under it.
    private volatile bool _unavailable;
    private bool _probing;
    private long _retryAt;
    private long _outageStarted;
    private long _skipped;

    /// <summary>Wraps a distributed cache with the default settings, except the two given.</summary>
    /// <param name="cache">The cache to store responses in.</param>
    /// <param name="keyPrefix">Put in front of every key so that Dln entries do not collide with other users of the same cache. Default <c>dln:</c>.</param>
    /// <param name="entryOptions">Expiration of the entries; by default entries never expire.</param>
    public DistributedCacheStore(IDistributedCache cache, string keyPrefix = "dln:", DistributedCacheEntryOptions? entryOptions = null)
        : this(cache, new DistributedCacheStoreOptions { KeyPrefix = keyPrefix, EntryOptions = entryOptions })
    {
    }

    /// <summary>Wraps a distributed cache.</summary>
    /// <param name="cache">The cache to store responses in. Not disposed by this store.</param>
    /// <param name="options">Key prefix, expiration, timeouts and the retry interval after a failure.</param>
    /// <param name="logger">Receives the warning when the cache becomes unavailable and the notice when it is back.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public DistributedCacheStore(IDistributedCache cache, DistributedCacheStoreOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _cache = cache;
        _options = options;
        _entryOptions = options.EntryOptions ?? new DistributedCacheEntryOptions();
        _logger = logger ?? NullLogger.Instance;
        _displayName = options.DisplayName ?? cache.GetType().Name;
        KeyPrefix = options.KeyPrefix;
    }

    /// <summary>The prefix put in front of every key.</summary>
    public string KeyPrefix { get; }

    /// <summary>
    /// Whether the cache is in use: <see langword="false"/> from a failure until an operation after the retry interval
    /// succeeds.
    /// </summary>
    public bool IsAvailable => !_unavailable;

    /// <inheritdoc />
    /// <remarks>Returns <see langword="null"/> (a miss) while the cache is unavailable.</remarks>
    public async ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryEnter(out var probe))
        {
            return null;
        }

        try
        {
            var value = await Bounded(_cache.GetAsync(KeyPrefix + key, cancellationToken), cancellationToken).ConfigureAwait(false);
            Succeeded(probe);
            return value;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Abandoned(probe);
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failed(ex);
            return null;
        }
    }

    /// <inheritdoc />
    /// <remarks>Drops the payload while the cache is unavailable.</remarks>
    public async ValueTask SetAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryEnter(out var probe))
        {
            return;
        }

        try
        {
            await Bounded(_cache.SetAsync(KeyPrefix + key, value, _entryOptions, cancellationToken), cancellationToken).ConfigureAwait(false);
            Succeeded(probe);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Abandoned(probe);
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failed(ex);
        }
    }

    private Task Bounded(Task operation, CancellationToken cancellationToken)
    {
        if (operation.IsCompleted || _options.OperationTimeout == Timeout.InfiniteTimeSpan)
        {
            return operation;
        }

        ObserveLateFailure(operation);
        return operation.WaitAsync(_options.OperationTimeout, _options.TimeProvider, cancellationToken);
    }

    private Task<T> Bounded<T>(Task<T> operation, CancellationToken cancellationToken)
    {
        if (operation.IsCompleted || _options.OperationTimeout == Timeout.InfiniteTimeSpan)
        {
            return operation;
        }

        ObserveLateFailure(operation);
        return operation.WaitAsync(_options.OperationTimeout, _options.TimeProvider, cancellationToken);
    }

    // An operation given up on by its timeout may still fail later; its exception is observed here so that it does
    // not surface as an unobserved task exception.
    private static void ObserveLateFailure(Task operation) =>
        operation.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    // Whether this operation may use the cache; during an outage only one operation at a time, after the retry
    // interval, is let through (the probe).
    private bool TryEnter(out bool probe)
    {
        probe = false;
        if (!_unavailable)
        {
            return true;
        }

        lock (_gate)
        {
            if (!_unavailable)
            {
                return true;
            }

            if (_probing || _options.TimeProvider.GetTimestamp() < _retryAt)
            {
                _skipped++;
                return false;
            }

            _probing = true;
            probe = true;
            return true;
        }
    }

    private void Succeeded(bool probe)
    {
        // Only the probe ends an outage: an operation started before the failure that completes late proves little.
        if (!probe)
        {
            return;
        }

        TimeSpan duration;
        long skipped;
        lock (_gate)
        {
            _probing = false;
            _unavailable = false;
            duration = _options.TimeProvider.GetElapsedTime(_outageStarted);
            skipped = _skipped;
            _skipped = 0;
        }

        Log.Restored(_logger, _displayName, duration.TotalSeconds, skipped);
    }

    private void Abandoned(bool probe)
    {
        if (probe)
        {
            lock (_gate)
            {
                _probing = false;
            }
        }
    }

    private void Failed(Exception exception)
    {
        bool first;
        lock (_gate)
        {
            first = !_unavailable;
            var now = _options.TimeProvider.GetTimestamp();
            if (first)
            {
                _outageStarted = now;
                _skipped = 0;
            }

            _unavailable = true;
            _probing = false;
            _retryAt = now + (long)(_options.RetryInterval.TotalSeconds * _options.TimeProvider.TimestampFrequency);
        }

        if (first)
        {
            Log.Unavailable(_logger, _displayName, Describe(exception), _options.RetryInterval.TotalSeconds);
        }

        Log.FailureDetails(_logger, exception, _displayName, first ? "became unavailable" : "is still unavailable");
    }

    // The warning carries the exception's type and the start of its message, not its stack: enough to tell a refused
    // connection from a timeout in one line (clients such as StackExchange.Redis append a long diagnostic dump, which
    // goes to the Debug log with the exception).
    private static string Describe(Exception exception)
    {
        const int MaxLength = 160;
        var message = exception.Message.ReplaceLineEndings(" ");
        return $"{exception.GetType().Name}: {(message.Length <= MaxLength ? message : message[..MaxLength] + "…")}";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LanguageModelLogEvents.CacheStoreUnavailable, Level = LogLevel.Warning,
            Message = "The language model cache {Store} is unavailable ({Reason}). Calls go on without it (lookups are misses, responses are not stored); it is tried again every {RetryIntervalSeconds} s.")]
        public static partial void Unavailable(ILogger logger, string store, string reason, double retryIntervalSeconds);

        [LoggerMessage(EventId = LanguageModelLogEvents.CacheStoreUnavailable, Level = LogLevel.Debug,
            Message = "The language model cache {Store} {State}.")]
        public static partial void FailureDetails(ILogger logger, Exception exception, string store, string state);

        [LoggerMessage(EventId = LanguageModelLogEvents.CacheStoreRestored, Level = LogLevel.Information,
            Message = "The language model cache {Store} is available again after {OutageSeconds:0.#} s; {SkippedOperations} lookups and writes went without it meanwhile.")]
        public static partial void Restored(ILogger logger, string store, double outageSeconds, long skippedOperations);
    }
}
