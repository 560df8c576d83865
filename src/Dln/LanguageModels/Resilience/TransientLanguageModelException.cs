namespace DeepLanguageNetworks;

/// <summary>
/// A failure that may succeed when retried: throttling (HTTP 429), a server error (5xx), a dropped connection or a
/// timeout. Backends throw it so that <see cref="RetryingLanguageModel"/> retries, waiting
/// <see cref="RetryAfter"/> instead of its own back-off when the server said how long to wait.
/// </summary>
public sealed class TransientLanguageModelException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TransientLanguageModelException()
        : this("The language model call failed with a transient error.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed. Must not contain secrets.</param>
    public TransientLanguageModelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed. Must not contain secrets.</param>
    /// <param name="innerException">The backend's exception.</param>
    public TransientLanguageModelException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the server's hint of how long to wait.</summary>
    /// <param name="message">What failed. Must not contain secrets.</param>
    /// <param name="retryAfter">How long the server asked to wait (an HTTP <c>Retry-After</c> header), or <see langword="null"/>.</param>
    /// <param name="innerException">The backend's exception.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retryAfter"/> is negative.</exception>
    public TransientLanguageModelException(string message, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        if (retryAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retryAfter), retryAfter, "retryAfter must not be negative.");
        }

        RetryAfter = retryAfter;
    }

    /// <summary>How long the server asked to wait before retrying, or <see langword="null"/> when it did not say.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The HTTP status code of the failure, when there was one (for example 429 or 503).</summary>
    public int? StatusCode { get; init; }
}
