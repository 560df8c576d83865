namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// A call to a hosted backend failed. The message names the endpoint (host and path, never the query string) and the
/// model or deployment, gives the HTTP status and the provider's own message, and says what to do; it never contains
/// the API key.
/// </summary>
public sealed class LanguageModelException : Exception, ILanguageModelError
{
    /// <summary>Creates an exception with a message and no details.</summary>
    public LanguageModelException()
        : this("A call to a hosted language model failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public LanguageModelException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public LanguageModelException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What went wrong, for callers that react differently to each case.</summary>
    public LanguageModelErrorKind Kind { get; init; }

    /// <inheritdoc />
    /// <remarks>Permanent: <see cref="LanguageModelErrorKind.Authentication"/>, <see cref="LanguageModelErrorKind.NotFound"/> and <see cref="LanguageModelErrorKind.LogProbabilitiesNotSupported"/>.</remarks>
    public bool IsPermanent => Kind is LanguageModelErrorKind.Authentication or LanguageModelErrorKind.NotFound or LanguageModelErrorKind.LogProbabilitiesNotSupported;

    /// <summary>The HTTP status of the last response, or <see langword="null"/> when there was none.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The endpoint called: host and path without query string or credentials.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The model or deployment name.</summary>
    public string? ModelId { get; init; }

    /// <summary>The provider's error message, when the response carried one.</summary>
    public string? ProviderMessage { get; init; }

    /// <summary>The provider's error code (for example <c>invalid_api_key</c>), when the response carried one.</summary>
    public string? ProviderErrorCode { get; init; }
}
