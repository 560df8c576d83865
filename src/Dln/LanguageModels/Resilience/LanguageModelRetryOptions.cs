namespace DeepLanguageNetworks;

/// <summary>Settings of <see cref="RetryingLanguageModel"/>. Validated when set.</summary>
public sealed class LanguageModelRetryOptions
{
    private readonly int _maxRetryAttempts = 3;
    private readonly TimeSpan _baseDelay = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _maxDelay = TimeSpan.FromSeconds(60);
    private readonly TimeSpan? _attemptTimeout;
    private readonly Func<Exception, bool> _isTransient = IsTransientByDefault;
    private readonly TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>Retries after the first attempt; 0 disables retrying. Default 3. Must be in [0, 100].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 100].</exception>
    public int MaxRetryAttempts
    {
        get => _maxRetryAttempts;
        init => _maxRetryAttempts = value is >= 0 and <= 100
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxRetryAttempts), value, $"MaxRetryAttempts must be between 0 and 100 (got {value}).");
    }

    /// <summary>
    /// The delay before the first retry; later delays double (exponential back-off, with jitter). Default 1 second.
    /// Must be positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan BaseDelay
    {
        get => _baseDelay;
        init => _baseDelay = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BaseDelay), value, $"BaseDelay must be positive (got {value}).");
    }

    /// <summary>
    /// The longest wait between attempts, for back-off and for a server's <c>Retry-After</c> hint alike. Default 60
    /// seconds. Must be positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan MaxDelay
    {
        get => _maxDelay;
        init => _maxDelay = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDelay), value, $"MaxDelay must be positive (got {value}).");
    }

    /// <summary>Whether back-off delays are randomised (decorrelated jitter) so that throttled callers do not retry in lock step. Default <see langword="true"/>.</summary>
    public bool UseJitter { get; init; } = true;

    /// <summary>
    /// Cancels an attempt that takes longer than this and retries it, or <see langword="null"/> (the default) for no
    /// per-attempt limit. Must be positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? AttemptTimeout
    {
        get => _attemptTimeout;
        init => _attemptTimeout = value is null || value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), value, $"AttemptTimeout must be positive, or null for no limit (got {value}).");
    }

    /// <summary>
    /// Decides which failures are retried. By default: <see cref="TransientLanguageModelException"/>,
    /// <see cref="HttpRequestException"/>, <see cref="TimeoutException"/>, <see cref="IOException"/> and an attempt
    /// timed out by <see cref="AttemptTimeout"/> or by an HTTP client's own timeout. Cancellation by the caller is never
    /// retried, whatever this says.
    /// </summary>
    public Func<Exception, bool> IsTransient
    {
        get => _isTransient;
        init => _isTransient = value ?? throw new ArgumentNullException(nameof(IsTransient));
    }

    /// <summary>The clock used for delays; <see cref="TimeProvider.System"/> by default. Tests pass a fake clock.</summary>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        init => _timeProvider = value ?? throw new ArgumentNullException(nameof(TimeProvider));
    }

    /// <summary>The default <see cref="IsTransient"/> predicate.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> when retrying may help.</returns>
    public static bool IsTransientByDefault(Exception exception) => exception is
        TransientLanguageModelException or HttpRequestException or TimeoutException or IOException or
        Polly.Timeout.TimeoutRejectedException or OperationCanceledException { InnerException: TimeoutException };
}
