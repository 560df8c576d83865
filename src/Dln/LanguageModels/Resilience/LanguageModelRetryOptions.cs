using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>
/// How calls are retried: the one retry vocabulary of the library, used by the retry decorator (<c>builder.UseRetry(…)</c>) and by
/// the hosted backends' HTTP retry policy (<c>HostedLanguageModelOptions.Retry</c> in Dln.OpenAI). Each value is checked
/// when it is set; the rules that involve several values are checked as a whole by <see cref="Validate"/>, which every
/// consumer calls when it receives the options.
/// </summary>
public sealed record LanguageModelRetryOptions
{
    private readonly int _maxRetryAttempts = 3;
    private readonly TimeSpan _baseDelay = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _maxDelay = TimeSpan.FromSeconds(60);
    private readonly TimeSpan? _attemptTimeout;
    private readonly TimeSpan? _totalTimeout;
    private readonly Func<Exception, bool> _isTransient = IsTransientByDefault;
    private readonly TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>Retries after the first attempt; 0 disables retrying. Default 3. Must be in [0, 100].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 100].</exception>
    public int MaxRetryAttempts
    {
        get => _maxRetryAttempts;
        init => _maxRetryAttempts = OptionGuard.InRange(value, 0, 100, nameof(MaxRetryAttempts));
    }

    /// <summary>
    /// The delay before the first retry; later delays double (exponential back-off, with jitter). Default 1 second.
    /// Must be positive and at most <see cref="MaxDelay"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan BaseDelay
    {
        get => _baseDelay;
        init => _baseDelay = OptionGuard.Positive(value, nameof(BaseDelay));
    }

    /// <summary>
    /// The longest wait between attempts, for back-off and for a server's <c>Retry-After</c> hint alike. Default 60
    /// seconds. Must be positive and at least <see cref="BaseDelay"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan MaxDelay
    {
        get => _maxDelay;
        init => _maxDelay = OptionGuard.Positive(value, nameof(MaxDelay));
    }

    /// <summary>Whether back-off delays are randomised (decorrelated jitter) so that throttled callers do not retry in lock step. Default <see langword="true"/>.</summary>
    public bool UseJitter { get; init; } = true;

    /// <summary>
    /// Cancels an attempt that takes longer than this and retries it, or <see langword="null"/> for no per-attempt limit
    /// (the default of the retry decorator (<c>builder.UseRetry(…)</c>); hosted backends then use 100 seconds). Must be positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? AttemptTimeout
    {
        get => _attemptTimeout;
        init => _attemptTimeout = OptionGuard.PositiveOrNull(value, nameof(AttemptTimeout), "for no limit");
    }

    /// <summary>
    /// The longest one call may take from its first attempt to its last, back-off delays included: when it runs out,
    /// the attempt in flight is cancelled, no further attempt is made, and the call fails with a
    /// <see cref="LanguageModelException"/> of kind <see cref="LanguageModelErrorKind.Timeout"/> that is not retried again.
    /// It bounds what a stalled server costs: without it a call may take (<see cref="MaxRetryAttempts"/> + 1) ×
    /// <see cref="AttemptTimeout"/> plus the delays. <see langword="null"/> (the default of
    /// the retry decorator, <c>builder.UseRetry(…)</c>, whose calls include any wait for a concurrency slot below it) means no bound;
    /// hosted backends then use 2 minutes (<c>HostedLanguageModelOptions.DefaultTotalTimeout</c> in Dln.OpenAI). Must be positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? TotalTimeout
    {
        get => _totalTimeout;
        init => _totalTimeout = OptionGuard.PositiveOrNull(value, nameof(TotalTimeout), "for no limit");
    }

    /// <summary>
    /// Decides which failures the retry decorator (<c>builder.UseRetry(…)</c>) retries. By default a
    /// <see cref="LanguageModelException"/> whose <see cref="LanguageModelException.IsTransient"/> is set, and
    /// <see cref="HttpRequestException"/>, <see cref="TimeoutException"/>, <see cref="IOException"/> and an attempt timed
    /// out by <see cref="AttemptTimeout"/> or by an HTTP client's own timeout. Cancellation by the caller is never
    /// retried, whatever this says. Hosted backends classify HTTP responses themselves and do not use it.
    /// </summary>
    [JsonIgnore] // code, not a setting: a saved run configuration leaves it out
    public Func<Exception, bool> IsTransient
    {
        get => _isTransient;
        init => _isTransient = OptionGuard.NotNull(value, nameof(IsTransient));
    }

    /// <summary>The clock used for delays; <see cref="TimeProvider.System"/> by default. Tests pass a fake clock.</summary>
    [JsonIgnore]
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        init => _timeProvider = OptionGuard.NotNull(value, nameof(TimeProvider));
    }

    /// <summary>The default <see cref="IsTransient"/> predicate.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> when retrying may help.</returns>
    public static bool IsTransientByDefault(Exception exception) => exception is
        LanguageModelException { IsTransient: true } or HttpRequestException or TimeoutException or IOException or
        Polly.Timeout.TimeoutRejectedException or OperationCanceledException { InnerException: TimeoutException };

    /// <summary>
    /// Checks the rules that involve several options (<see cref="BaseDelay"/> at most <see cref="MaxDelay"/>). Called by
    /// every consumer when it receives the options, so that an inconsistent set fails before the first call.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option contradicts another; the message names both.</exception>
    public void Validate()
    {
        if (MaxDelay < BaseDelay)
        {
            throw OptionGuard.OutOfRange(nameof(MaxDelay), MaxDelay, $"at least BaseDelay ({BaseDelay}) of the same LanguageModelRetryOptions, since delays grow from BaseDelay up to MaxDelay");
        }
    }
}
