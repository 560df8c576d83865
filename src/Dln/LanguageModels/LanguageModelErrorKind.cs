namespace DeepLanguageNetworks;

/// <summary>What went wrong in a call to a language model; see <see cref="LanguageModelException.Kind"/>.</summary>
/// <remarks>
/// Whether a kind is worth retrying (<see cref="LanguageModelException.IsTransient"/>) or will fail every further call
/// (<see cref="LanguageModelException.IsPermanent"/>) is said on each value.
/// </remarks>
public enum LanguageModelErrorKind
{
    /// <summary>Not classified. Neither transient nor permanent.</summary>
    Unknown,

    /// <summary>The key or credential was rejected (HTTP 401 or 403). Permanent.</summary>
    Authentication,

    /// <summary>
    /// The backend rejected this request as invalid (HTTP 400, 422 and other 4xx). Neither transient nor permanent: another
    /// request may succeed. An input longer than the context window has its own kind, <see cref="ContextLengthExceeded"/>.
    /// </summary>
    BadRequest,

    /// <summary>
    /// The input (with the output asked for) does not fit the model's context window: a local model counted too many
    /// tokens, or a hosted one answered HTTP 400 <c>context_length_exceeded</c>. Neither transient nor permanent: it
    /// concerns this input only, and the library never cuts inputs itself.
    /// </summary>
    ContextLengthExceeded,

    /// <summary>The model, deployment or route does not exist (HTTP 404). Permanent.</summary>
    NotFound,

    /// <summary>The model rejects log-probabilities (reasoning models). Use accuracy scoring instead. Permanent.</summary>
    LogProbabilitiesNotSupported,

    /// <summary>Rate limited (HTTP 429). Transient.</summary>
    RateLimited,

    /// <summary>Server error (HTTP 5xx). Transient.</summary>
    ServerError,

    /// <summary>No answer in time. Transient.</summary>
    Timeout,

    /// <summary>The server could not be reached (connection refused or reset, DNS failure). Transient.</summary>
    Network,

    /// <summary>The response could not be parsed, or lacked a field the operation needs. Neither transient nor permanent.</summary>
    MalformedResponse,
}
