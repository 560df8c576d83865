using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepLanguageNetworks;

/// <summary>
/// A decorator that answers repeated requests from an <see cref="ILanguageModelCacheStore"/> and makes identical
/// concurrent requests share one backend call. Thread-safe.
/// </summary>
/// <remarks>
/// <para>Requests are keyed by <see cref="LanguageModelCacheKey"/>: the model, the operation and every option that
/// changes the result, including log-probability settings and the sample index. Responses come back exactly as stored
/// (text, log-probabilities bit for bit, finish reason, the original usage) with
/// <see cref="LanguageModelResponse.FromCache"/> set, so <see cref="UsageTrackingLanguageModel"/> placed outside this
/// decorator counts them as hits, not as spent tokens. Decorators above find it as an
/// <see cref="ILanguageModelResponseCache"/> to ask whether a request would be a hit.</para>
/// <para>A request with <c>BypassCache</c> set (or every request when <see cref="LanguageModelCacheOptions.Bypass"/>
/// is set) skips the lookup; its response still replaces the stored one.</para>
/// <para>Identical concurrent requests share one call (see <see cref="LanguageModelCacheOptions.DeduplicateConcurrentRequests"/>):
/// one caller receives the response as spent, the others receive it with <c>FromCache</c> set. A caller that cancels
/// stops waiting; the shared call is cancelled only when every caller waiting for it has cancelled.</para>
/// <para>A failing store never fails a call: a read error counts as a miss, a write error loses that entry; both are
/// logged as warnings (event ids 1101 and 1102). Failed backend calls are not cached.</para>
/// </remarks>
internal sealed partial class CachingLanguageModel : DelegatingLanguageModel, ILanguageModelResponseCache
{
    private readonly LanguageModelCacheOptions _options;
    private readonly ILogger _logger;
    private readonly IDisposable? _ownedStore;

    // One table for the three operations: the operation is part of every key.
    private readonly InFlightRequests<LanguageModelResponse> _inFlight = new(r => r with { FromCache = true });

    /// <summary>Wraps <paramref name="innerModel"/> with a cache.</summary>
    /// <param name="innerModel">The model that answers misses.</param>
    /// <param name="store">Where responses are kept. Not disposed by this decorator.</param>
    /// <param name="options">Cache settings; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives warnings about store failures and unreadable entries.</param>
    public CachingLanguageModel(ILanguageModel innerModel, ILanguageModelCacheStore store, LanguageModelCacheOptions? options = null, ILogger? logger = null)
        : this(innerModel, store, options, logger, ownsStore: false)
    {
    }

    internal CachingLanguageModel(ILanguageModel innerModel, ILanguageModelCacheStore store, LanguageModelCacheOptions? options, ILogger? logger, bool ownsStore)
        : base(innerModel)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        _options = options ?? new LanguageModelCacheOptions();
        _logger = logger ?? NullLogger.Instance;
        _ownedStore = ownsStore ? store as IDisposable : null;
    }

    /// <summary>The store responses are kept in.</summary>
    public ILanguageModelCacheStore Store { get; }

    /// <summary>Whether a response to <paramref name="request"/> is stored (a call would be a cache hit).</summary>
    /// <param name="request">The request, of any operation.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns><see langword="true"/> when the store holds a response; always <see langword="false"/> while bypassing.</returns>
    public async Task<bool> ContainsAsync(LanguageModelRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.BypassCache || _options.Bypass)
        {
            return false;
        }

        return await ReadAsync(LanguageModelCacheKey.For(InnerModel.Metadata, request), static payload => payload, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    protected override async Task<TResponse> InvokeAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
    {
        var key = LanguageModelCacheKey.For(InnerModel.Metadata, request);
        var bypass = request.BypassCache || _options.Bypass;
        Func<CancellationToken, Task<LanguageModelResponse>> callInner = async ct => await next(request, ct).ConfigureAwait(false);
        if (!_options.DeduplicateConcurrentRequests)
        {
            return (TResponse)(await LookUpOrCallAsync(key, bypass, request.Operation, callInner, cancellationToken).ConfigureAwait(false)).Response;
        }

        // A bypassing request must reach the backend, so it never joins a lookup started by a normal request.
        return (TResponse)await _inFlight.RunAsync(
            bypass ? "bypass:" + key : key,
            ct => LookUpOrCallAsync(key, bypass, request.Operation, callInner, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownedStore?.Dispose();
        }

        base.Dispose(disposing);
    }

    // The lookup runs inside the shared task so that a request arriving while an identical one is being answered joins
    // it instead of racing it to the backend.
    private async Task<(LanguageModelResponse Response, bool FromBackend)> LookUpOrCallAsync(
        string key,
        bool bypass,
        LanguageModelOperation operation,
        Func<CancellationToken, Task<LanguageModelResponse>> callInner,
        CancellationToken cancellationToken)
    {
        if (!bypass && await ReadAsync(key, payload => CachedResponses.Deserialize(operation, payload), cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return (cached, false);
        }

        var response = await callInner(cancellationToken).ConfigureAwait(false);
        try
        {
            // The call is paid for: keep its result even if the caller gives up now.
            await Store.SetAsync(key, CachedResponses.Serialize(response), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.StoreWriteFailed(_logger, ex, Store.GetType().Name);
        }

        return (response, true);
    }

    private async Task<T?> ReadAsync<T>(string key, Func<byte[], T> deserialize, CancellationToken cancellationToken)
        where T : class
    {
        byte[]? payload;
        try
        {
            payload = await Store.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.StoreReadFailed(_logger, ex, Store.GetType().Name);
            return null;
        }

        if (payload is null)
        {
            return null;
        }

        try
        {
            return deserialize(payload);
        }
        catch (JsonException ex)
        {
            // An unreadable entry is a miss; the fresh response overwrites it.
            Log.EntryUnreadable(_logger, ex, key);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LanguageModelLogEvents.CacheReadFailed, Level = LogLevel.Warning,
            Message = "Reading the language model cache ({Store}) failed; the call goes to the backend.")]
        public static partial void StoreReadFailed(ILogger logger, Exception exception, string store);

        [LoggerMessage(EventId = LanguageModelLogEvents.CacheWriteFailed, Level = LogLevel.Warning,
            Message = "Writing to the language model cache ({Store}) failed; the response is returned but not cached.")]
        public static partial void StoreWriteFailed(ILogger logger, Exception exception, string store);

        [LoggerMessage(EventId = LanguageModelLogEvents.CacheEntryUnreadable, Level = LogLevel.Warning,
            Message = "The cache entry {Key} cannot be read and is treated as a miss.")]
        public static partial void EntryUnreadable(ILogger logger, Exception exception, string key);
    }
}
