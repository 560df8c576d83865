using System.Threading.RateLimiting;

namespace DeepLanguageNetworks;

/// <summary>
/// A decorator that bounds the calls in flight to the backend and, optionally, holds a requests-per-minute and a
/// tokens-per-minute rate. Thread-safe; waiting calls are served in order of arrival and can be cancelled.
/// </summary>
/// <remarks>
/// <para>The in-flight bound comes from <see cref="ConcurrencyLimitOptions.MaxConcurrency"/>, or by default from
/// the backend's <see cref="LanguageModelCapabilities.DefaultMaxConcurrency"/>. It is a
/// System.Threading.RateLimiting <see cref="ConcurrencyLimiter"/>.</para>
/// <para>A call first takes an in-flight slot, then waits for the rate limits, so the rate is measured at the moment
/// calls reach the backend. The time a call waits here and the time it then spends in the backend are handed to a
/// call log above (the run folder's <c>calls.jsonl</c> records both). Place this decorator inside <see cref="RetryingLanguageModel"/> so that every retry is
/// limited too and a call waiting out a back-off does not hold a slot.</para>
/// </remarks>
internal sealed class ConcurrencyLimitingLanguageModel : DelegatingLanguageModel
{
    private const double CharactersPerToken = 4;

    private readonly ConcurrencyLimiter _concurrency;
    private readonly TokenBucket? _requests;
    private readonly TokenBucket? _tokens;
    private readonly TimeProvider _time;
    private int _inFlight;

    /// <summary>Wraps <paramref name="innerModel"/>.</summary>
    /// <param name="innerModel">The backend to protect.</param>
    /// <param name="options">Limits; <see langword="null"/> for the backend's default concurrency and no rate limits.</param>
    public ConcurrencyLimitingLanguageModel(ILanguageModel innerModel, ConcurrencyLimitOptions? options = null)
        : base(innerModel)
    {
        options ??= new ConcurrencyLimitOptions();
        _time = options.TimeProvider;
        MaxConcurrency = options.MaxConcurrency ?? Math.Max(1, innerModel.Metadata.Capabilities.DefaultMaxConcurrency);
        _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = MaxConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        if (options.RequestsPerMinute is { } rpm)
        {
            _requests = new TokenBucket(rpm / 60.0, Math.Max(1, rpm / 60.0), options.TimeProvider);
        }

        if (options.TokensPerMinute is { } tpm)
        {
            _tokens = new TokenBucket(tpm / 60.0, Math.Max(1, tpm / 60.0), options.TimeProvider);
        }
    }

    /// <summary>The most calls in flight at once.</summary>
    public int MaxConcurrency { get; }

    /// <summary>How many calls are in flight in the backend now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>How many calls wait for an in-flight slot now.</summary>
    public long Queued => _concurrency.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>The token bucket of the requests-per-minute limit, for tests.</summary>
    internal TokenBucket? RequestBucket => _requests;

    /// <summary>The token bucket of the tokens-per-minute limit, for tests.</summary>
    internal TokenBucket? TokenRateBucket => _tokens;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _concurrency.Dispose();
            _requests?.Dispose();
            _tokens?.Dispose();
        }

        base.Dispose(disposing);
    }

    // What a hosted API would charge before the call: the input at four characters per token plus the output asked for.
    private static double EstimateTokens(LanguageModelRequest request)
    {
        var (inputCharacters, outputTokens) = request switch
        {
            GenerationRequest g => (g.Prompt.Length, g.MaxTokens),
            NextTokenRequest n => (n.Context.Length, 1),
            ContinuationRequest c => (c.Context.Length + c.Continuation.Length, 1),
            _ => (0, 1),
        };
        return Math.Ceiling(inputCharacters / CharactersPerToken) + Math.Max(0, outputTokens);
    }

    /// <inheritdoc />
    protected override async Task<TResponse> InvokeAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
    {
        var arrived = _time.GetTimestamp();
        using var lease = await _concurrency.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            // Unreachable with an unbounded queue; kept so that a future queue limit fails loudly, not silently.
            throw new InvalidOperationException("The concurrency limiter refused the call: its queue is full.");
        }

        if (_requests is not null)
        {
            await _requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }

        if (_tokens is not null)
        {
            await _tokens.AcquireAsync(EstimateTokens(request), cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _inFlight);
        var admitted = _time.GetTimestamp();
        try
        {
            return await next(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);

            // For a call log above: the backend's latency apart from the wait for a slot.
            CallTiming.Current?.Add(_time.GetElapsedTime(arrived, admitted), _time.GetElapsedTime(admitted));
        }
    }
}
