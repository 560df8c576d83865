namespace DeepLanguageNetworks.OpenAI;

/// <summary>What went wrong in a call to a hosted backend; see <see cref="LanguageModelException.Kind"/>.</summary>
public enum LanguageModelErrorKind
{
    /// <summary>Not classified.</summary>
    Unknown,

    /// <summary>The key or credential was rejected (HTTP 401 or 403). Not retried.</summary>
    Authentication,

    /// <summary>
    /// The server rejected the request as invalid (HTTP 400, 422 and other 4xx). Not retried. An input longer than the
    /// model's context window is one of these (OpenAI's <see cref="LanguageModelException.ProviderErrorCode"/> is
    /// <c>context_length_exceeded</c>); the library does not cut inputs itself, and the message says to shorten them.
    /// </summary>
    BadRequest,

    /// <summary>The model, deployment or route does not exist (HTTP 404). Not retried.</summary>
    NotFound,

    /// <summary>The model rejects log-probabilities (reasoning models). Use accuracy scoring instead. Not retried.</summary>
    LogProbabilitiesNotSupported,

    /// <summary>Rate limited (HTTP 429) on every attempt.</summary>
    RateLimited,

    /// <summary>Server error (HTTP 5xx) on every attempt.</summary>
    ServerError,

    /// <summary>No response within the per-attempt timeout on every attempt.</summary>
    Timeout,

    /// <summary>The server could not be reached (connection refused or reset, DNS failure).</summary>
    Network,

    /// <summary>The response could not be parsed, or lacked a field the operation needs. Not retried.</summary>
    MalformedResponse,
}
