namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Network settings shared by the hosted backends (<see cref="OpenAIChatLanguageModel"/> and
/// <see cref="CompletionsScoringModel"/>): per-attempt timeout, retries with exponential backoff, and the default
/// concurrency the backend advertises. Every setter validates its value and throws
/// <see cref="ArgumentOutOfRangeException"/> naming the option.
/// </summary>
/// <remarks>
/// Retries cover HTTP 408, 429, 500, 502, 503 and 504, network failures and attempts that time out. The wait before a
/// retry is the server's <c>Retry-After</c> (or <c>retry-after-ms</c>) when it sends one, capped at
/// <see cref="MaxRetryDelay"/>; otherwise an exponential backoff with jitter starting at <see cref="RetryBaseDelay"/>.
/// Authentication errors (401, 403), bad requests (400, 404, 422) and malformed responses are never retried, and
/// neither is a call cancelled by the caller.
/// </remarks>
public abstract class HostedLanguageModelOptions
{
    private TimeSpan _timeout = TimeSpan.FromSeconds(100);
    private int _maxRetries = 3;
    private TimeSpan _retryBaseDelay = TimeSpan.FromSeconds(1);
    private TimeSpan _maxRetryDelay = TimeSpan.FromSeconds(60);
    private int _maxConcurrency = 16;
    private int? _contextLength;

    /// <summary>
    /// How long one HTTP attempt may take, response body included, before it is abandoned (and retried while
    /// attempts remain). Default 100 seconds, the OpenAI library's own default. Must be positive.
    /// </summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        init => _timeout = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Timeout), value, "Timeout must be a positive duration.");
    }

    /// <summary>
    /// How many times a failed attempt is retried (so at most <c>MaxRetries + 1</c> requests per call). Default 3, as in
    /// the OpenAI library. Must be between 0 and 20.
    /// </summary>
    public int MaxRetries
    {
        get => _maxRetries;
        init => _maxRetries = value is >= 0 and <= 20
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxRetries), value, "MaxRetries must be between 0 and 20.");
    }

    /// <summary>
    /// The first backoff delay; later ones grow exponentially (with jitter) up to <see cref="MaxRetryDelay"/>.
    /// Default 1 second. Must not be negative.
    /// </summary>
    public TimeSpan RetryBaseDelay
    {
        get => _retryBaseDelay;
        init => _retryBaseDelay = value >= TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RetryBaseDelay), value, "RetryBaseDelay must not be negative.");
    }

    /// <summary>
    /// The longest wait between two attempts, also the cap on a server's <c>Retry-After</c>. Default 60 seconds. Must
    /// be positive and at least <see cref="RetryBaseDelay"/> (checked when the model is created).
    /// </summary>
    public TimeSpan MaxRetryDelay
    {
        get => _maxRetryDelay;
        init => _maxRetryDelay = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), value, "MaxRetryDelay must be a positive duration.");
    }

    /// <summary>
    /// The concurrency the backend advertises in <see cref="LanguageModelCapabilities.DefaultMaxConcurrency"/>; the
    /// concurrency decorator uses it unless told otherwise. Default 16 (hosted endpoints). Lower it for servers that
    /// process one request at a time (Ollama). Must be between 1 and 1024.
    /// </summary>
    public int MaxConcurrency
    {
        get => _maxConcurrency;
        init => _maxConcurrency = value is >= 1 and <= 1024
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), value, "MaxConcurrency must be between 1 and 1024.");
    }

    /// <summary>The model's context window in tokens, when known; reported in the capabilities. Must be positive.</summary>
    public int? ContextLength
    {
        get => _contextLength;
        init => _contextLength = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ContextLength), value, "ContextLength must be positive.");
    }

    /// <summary>
    /// The <see cref="System.Net.Http.HttpClient"/> that sends the requests, for proxies or custom handlers; when
    /// <see langword="null"/> a shared client is used. Its own <see cref="System.Net.Http.HttpClient.Timeout"/> should
    /// be longer than <see cref="Timeout"/>.
    /// </summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Checks the rules that involve several options; called by the models' constructors.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is inconsistent with another.</exception>
    internal virtual void Validate()
    {
        if (MaxRetryDelay < RetryBaseDelay)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxRetryDelay), MaxRetryDelay, $"MaxRetryDelay must be at least RetryBaseDelay ({RetryBaseDelay}).");
        }
    }
}
