namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Settings shared by the hosted backends (<see cref="OpenAIChatLanguageModel"/> and <see cref="CompletionsScoringModel"/>):
/// retries and the per-attempt timeout (<see cref="Retry"/>, in the library's one retry vocabulary) and the
/// <see cref="System.Net.Http.HttpClient"/> to send through; what the backend reports in its metadata (provider name,
/// concurrency, context length) comes from <see cref="RemoteLanguageModelOptions"/>. Every value is checked
/// when it is set; <see cref="Validate"/> checks the options as a whole when a model is created.
/// </summary>
/// <remarks>
/// Retries cover HTTP 408, 429, 500, 502, 503 and 504, network failures and attempts that time out. The wait before a
/// retry is the server's <c>Retry-After</c> (or <c>retry-after-ms</c>) when it sends one, capped at
/// <see cref="LanguageModelRetryOptions.MaxDelay"/>; otherwise an exponential backoff (with jitter unless
/// <see cref="LanguageModelRetryOptions.UseJitter"/> is off) starting at <see cref="LanguageModelRetryOptions.BaseDelay"/>.
/// A success status whose body is not JSON (cut short, or a proxy's page) is retried like a 5xx; a request on a
/// connection the server had closed (it never answered) is retried at once, without back-off. Authentication errors
/// (401, 403), bad requests (400, 404, 422) and responses that are JSON but lack what the operation needs are never
/// retried, and neither is a call cancelled by the caller. The whole call, retries and waits included, is bounded by
/// <see cref="LanguageModelRetryOptions.TotalTimeout"/> (default <see cref="DefaultTotalTimeout"/>). A failure that outlasts the retries is a <see cref="LanguageModelException"/>
/// with <see cref="LanguageModelException.IsTransient"/> off, so that a retry decorator above does not retry it again.
/// </remarks>
public abstract record HostedLanguageModelOptions : RemoteLanguageModelOptions
{
    /// <summary>The per-attempt timeout when <see cref="LanguageModelRetryOptions.AttemptTimeout"/> is not set: 100 seconds, the OpenAI library's own default.</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The total timeout of one call when <see cref="LanguageModelRetryOptions.TotalTimeout"/> is not set: 2 minutes,
    /// attempts and back-off delays together. A call to a server that accepts requests but never answers gives up after
    /// this long instead of 4 × 100 s; a healthy call, even a long generation, takes far less.
    /// </summary>
    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromMinutes(2);

    private readonly LanguageModelRetryOptions _retry = new() { AttemptTimeout = DefaultAttemptTimeout, TotalTimeout = DefaultTotalTimeout };

    /// <summary>
    /// Retries and timeout: <see cref="LanguageModelRetryOptions.MaxRetryAttempts"/> retries after the first attempt
    /// (default 3, as in the OpenAI library, so at most 4 requests per call), back-off from
    /// <see cref="LanguageModelRetryOptions.BaseDelay"/> (default 1 s) to <see cref="LanguageModelRetryOptions.MaxDelay"/>
    /// (default 60 s, also the cap on a server's <c>Retry-After</c>), and <see cref="LanguageModelRetryOptions.AttemptTimeout"/>,
    /// how long one HTTP attempt may take, response body included (default 100 s; <see langword="null"/> means
    /// <see cref="DefaultAttemptTimeout"/>), and <see cref="LanguageModelRetryOptions.TotalTimeout"/>, how long the call
    /// may take over all its attempts and the waits between them (default 2 minutes; <see langword="null"/> means
    /// <see cref="DefaultTotalTimeout"/>). <see cref="LanguageModelRetryOptions.IsTransient"/> is not used: the HTTP
    /// policy classifies responses itself.
    /// </summary>
    public LanguageModelRetryOptions Retry
    {
        get => _retry;
        init => _retry = OptionGuard.NotNull(value, nameof(Retry));
    }

    /// <summary>
    /// The <see cref="System.Net.Http.HttpClient"/> that sends the requests, for proxies or custom handlers; when
    /// <see langword="null"/> a shared client is used. Its own <see cref="System.Net.Http.HttpClient.Timeout"/> should
    /// be longer than the per-attempt timeout.
    /// </summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The per-attempt timeout in effect: <see cref="LanguageModelRetryOptions.AttemptTimeout"/>, or <see cref="DefaultAttemptTimeout"/>.</summary>
    internal TimeSpan AttemptTimeout => Retry.AttemptTimeout ?? DefaultAttemptTimeout;

    /// <summary>The total timeout in effect: <see cref="LanguageModelRetryOptions.TotalTimeout"/>, or <see cref="DefaultTotalTimeout"/>.</summary>
    internal TimeSpan TotalTimeout => Retry.TotalTimeout ?? DefaultTotalTimeout;

    /// <summary>How many requests one call makes at most: the first attempt and its retries.</summary>
    internal int MaxAttempts => Retry.MaxRetryAttempts + 1;

    /// <summary>Checks the rules that involve several options (those of <see cref="Retry"/> included); called by the models' constructors.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option contradicts another; the message names both.</exception>
    public override void Validate()
    {
        base.Validate();
        Retry.Validate();
    }
}
