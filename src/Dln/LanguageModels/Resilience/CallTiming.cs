namespace DeepLanguageNetworks;

/// <summary>
/// What the concurrency limit measured of one call, handed to a decorator above it: the time the call waited for an
/// in-flight slot and the rate limits, and the time it spent below the limit (in the backend). A decorator that wants
/// the backend's latency rather than the time including the queue (the run's call log) opens a timing with
/// <see cref="Begin"/> around its call; <see cref="ConcurrencyLimitingLanguageModel"/> adds to the timing of the flow
/// it runs in. With retries between them, each attempt adds its share. Thread-safe.
/// </summary>
/// <remarks>An <see cref="AsyncLocal{T}"/> carries the timing down the call, so no request or response type changes and
/// a pipeline without a limit simply measures nothing.</remarks>
internal sealed class CallTiming
{
    private static readonly AsyncLocal<CallTiming?> CurrentTiming = new();
    private long _queuedTicks;
    private long _backendTicks;
    private int _attempts;

    /// <summary>The timing of the call this flow belongs to, if a decorator above opened one.</summary>
    public static CallTiming? Current => CurrentTiming.Value;

    /// <summary>Whether a limit measured the call.</summary>
    public bool Measured => Volatile.Read(ref _attempts) > 0;

    /// <summary>Time waiting for a slot and the rate limits, every attempt together.</summary>
    public TimeSpan Queued => TimeSpan.FromTicks(Interlocked.Read(ref _queuedTicks));

    /// <summary>Time below the limit, every attempt together.</summary>
    public TimeSpan Backend => TimeSpan.FromTicks(Interlocked.Read(ref _backendTicks));

    /// <summary>
    /// Opens a timing for the calls made from here on in this flow (an async method's changes stay in it, so the
    /// caller's flow keeps its own). Call it inside the async method that makes the call.
    /// </summary>
    public static CallTiming Begin()
    {
        var timing = new CallTiming();
        CurrentTiming.Value = timing;
        return timing;
    }

    /// <summary>Adds one attempt: its wait for the limits, then its time below them.</summary>
    public void Add(TimeSpan queued, TimeSpan backend)
    {
        Interlocked.Add(ref _queuedTicks, queued.Ticks);
        Interlocked.Add(ref _backendTicks, backend.Ticks);
        Interlocked.Increment(ref _attempts);
    }
}
