namespace DeepLanguageNetworks;

/// <summary>
/// A call to a language model failed: the one error every backend throws (local, hosted, adapters), with what went
/// wrong (<see cref="Kind"/>), whether retrying may help (<see cref="IsTransient"/>) or every further call will fail
/// (<see cref="IsPermanent"/>), the backend and operation, and what the provider said.
/// </summary>
/// <remarks>
/// <para>The message names the backend (provider, model and endpoint, never credentials or query strings) and says what
/// to do. The retry decorator (<see cref="LanguageModelBuilderExtensions.UseRetry"/>) retries exactly the exceptions whose <see cref="IsTransient"/> is
/// <see langword="true"/> (waiting <see cref="RetryAfter"/> when the server said how long); the trainer stops at once on
/// a permanent one instead of spending its error budget on calls that cannot succeed.</para>
/// <para>For backend authors: set <see cref="Kind"/> and whatever of the backend, operation and provider details you know.
/// A backend that already retried a call itself reports the failure that outlasted its retries with
/// <see cref="IsTransient"/> set to <see langword="false"/> and <see cref="Attempts"/> set, so that a retry decorator
/// above it does not multiply the attempts.</para>
/// </remarks>
public sealed class LanguageModelException : Exception
{
    private readonly bool? _isTransient;
    private readonly TimeSpan? _retryAfter;

    /// <summary>Creates an exception with a default message and no details.</summary>
    public LanguageModelException()
        : this("A call to a language model failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong and what to do. Must not contain secrets.</param>
    public LanguageModelException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong and what to do. Must not contain secrets.</param>
    /// <param name="innerException">The cause.</param>
    public LanguageModelException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What went wrong, for callers that react differently to each case.</summary>
    public LanguageModelErrorKind Kind { get; init; }

    /// <summary>
    /// Whether another attempt of the same call may succeed. By default from <see cref="Kind"/>: rate limits, server
    /// errors, timeouts and network failures are transient. A backend that already spent its own retries on the call sets
    /// it to <see langword="false"/>.
    /// </summary>
    public bool IsTransient
    {
        get => _isTransient ?? Kind is LanguageModelErrorKind.RateLimited or LanguageModelErrorKind.ServerError
            or LanguageModelErrorKind.Timeout or LanguageModelErrorKind.Network;
        init => _isTransient = value;
    }

    /// <summary>
    /// Whether every further call to this backend will fail the same way: rejected credentials
    /// (<see cref="LanguageModelErrorKind.Authentication"/>), an unknown model or deployment
    /// (<see cref="LanguageModelErrorKind.NotFound"/>), or log-probabilities refused
    /// (<see cref="LanguageModelErrorKind.LogProbabilitiesNotSupported"/>). Per-request failures (one bad or oversized
    /// input, an unreadable response) and transient ones are not permanent.
    /// </summary>
    public bool IsPermanent => Kind is LanguageModelErrorKind.Authentication or LanguageModelErrorKind.NotFound
        or LanguageModelErrorKind.LogProbabilitiesNotSupported;

    /// <summary>How long the server asked to wait before retrying (an HTTP <c>Retry-After</c>), or <see langword="null"/>. Must not be negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan? RetryAfter
    {
        get => _retryAfter;
        init => _retryAfter = value is null || value >= TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RetryAfter), value, $"RetryAfter must not be negative (got {value}).");
    }

    /// <summary>The operation that failed, when known.</summary>
    public LanguageModelOperation? Operation { get; init; }

    /// <summary>The backend family (<see cref="LanguageModelMetadata.ProviderName"/>), when known.</summary>
    public string? ProviderName { get; init; }

    /// <summary>The model or deployment name, when known.</summary>
    public string? ModelId { get; init; }

    /// <summary>Where the call went: for hosted backends the URL's scheme, host and path (never a query string or credentials), for local ones the model file name.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The HTTP status of the last response, or <see langword="null"/> when there was none.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The provider's error message, when the response carried one (with any echoed key removed).</summary>
    public string? ProviderMessage { get; init; }

    /// <summary>The provider's error code (for example <c>invalid_api_key</c> or <c>context_length_exceeded</c>), when the response carried one.</summary>
    public string? ProviderErrorCode { get; init; }

    /// <summary>How many attempts the backend made before giving up, when it retried the call itself; otherwise <see langword="null"/>.</summary>
    public int? Attempts { get; init; }

    /// <summary>
    /// The kind of an HTTP error response, for backend authors: 401 and 403 <see cref="LanguageModelErrorKind.Authentication"/>,
    /// 404 <see cref="LanguageModelErrorKind.NotFound"/>, 408 <see cref="LanguageModelErrorKind.Timeout"/>, 429
    /// <see cref="LanguageModelErrorKind.RateLimited"/>, 5xx <see cref="LanguageModelErrorKind.ServerError"/>, a 400, 413
    /// or 422 that says the input is too long <see cref="LanguageModelErrorKind.ContextLengthExceeded"/>, any other
    /// status <see cref="LanguageModelErrorKind.BadRequest"/>.
    /// </summary>
    /// <remarks>
    /// An input too long is recognised by OpenAI's and Azure OpenAI's error code <c>context_length_exceeded</c>, or, for
    /// servers that only say it in words (vLLM, llama.cpp, Ollama), by a message that mentions the context length or
    /// window.
    /// </remarks>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="providerErrorCode">The error code in the response body, if any.</param>
    /// <param name="providerMessage">The error message in the response body, if any.</param>
    /// <returns>The kind.</returns>
    public static LanguageModelErrorKind KindForHttpStatus(int statusCode, string? providerErrorCode = null, string? providerMessage = null) => statusCode switch
    {
        401 or 403 => LanguageModelErrorKind.Authentication,
        404 => LanguageModelErrorKind.NotFound,
        408 => LanguageModelErrorKind.Timeout,
        429 => LanguageModelErrorKind.RateLimited,
        >= 500 => LanguageModelErrorKind.ServerError,
        400 or 413 or 422 when MentionsContextLength(providerErrorCode, providerMessage) => LanguageModelErrorKind.ContextLengthExceeded,
        _ => LanguageModelErrorKind.BadRequest,
    };

    private static bool MentionsContextLength(string? code, string? message) =>
        string.Equals(code, "context_length_exceeded", StringComparison.OrdinalIgnoreCase) ||
        (message?.Contains("context length", StringComparison.OrdinalIgnoreCase) ?? false) ||
        (message?.Contains("context window", StringComparison.OrdinalIgnoreCase) ?? false) ||
        (message?.Contains("exceeds the context", StringComparison.OrdinalIgnoreCase) ?? false);
}
