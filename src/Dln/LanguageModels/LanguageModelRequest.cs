namespace DeepLanguageNetworks;

/// <summary>
/// What every request to an <see cref="ILanguageModel"/> has in common: why it is made and whether it may be answered
/// from a cache. The three operations' requests (<see cref="GenerationRequest"/>, <see cref="NextTokenRequest"/>,
/// <see cref="ContinuationRequest"/>) derive from it, so that a decorator that treats every call alike handles them
/// in one method (see <see cref="DelegatingLanguageModel"/>). For extension authors: a backend calls
/// <see cref="Validate"/> first, so that every backend rejects a bad request with the same message.
/// </summary>
public abstract record LanguageModelRequest
{
    // Only the library's three request types derive from this record: ILanguageModel has exactly three operations.
    private protected LanguageModelRequest()
    {
    }

    /// <summary>The operation this request asks for.</summary>
    public abstract LanguageModelOperation Operation { get; }

    /// <summary>Set to skip any cache for this call (the response is still stored).</summary>
    public bool BypassCache { get; init; }

    /// <summary>
    /// Why the call is made (forward, backward, scoring, evaluation) and for which layer; used for accounting, not sent
    /// to the backend and not part of the cache key.
    /// </summary>
    public CallPurpose Purpose { get; init; } = CallPurpose.Unspecified;

    /// <summary>
    /// Checks the request against what <paramref name="backend"/> offers, before anything is sent: every field in its
    /// range, and the operation (and log-probabilities, when asked for) among the backend's capabilities.
    /// </summary>
    /// <remarks>
    /// For backend authors: call it first in each <see cref="ILanguageModel"/> operation, so that every backend rejects a
    /// bad request the same way, with a message that names the field and what was expected. The library's backends do.
    /// </remarks>
    /// <param name="backend">The backend about to answer; its capabilities decide what is supported and its description names it in messages.</param>
    /// <exception cref="ArgumentNullException">A required text is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of its range; the message names it, gives the value and the range.</exception>
    /// <exception cref="NotSupportedException">The backend does not offer the operation (or the log-probabilities) asked for.</exception>
    public void Validate(LanguageModelMetadata backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Check(backend);
    }

    /// <summary>Checks the request's fields and the capabilities it needs; see <see cref="Validate"/>.</summary>
    /// <param name="backend">The backend about to answer.</param>
    private protected abstract void Check(LanguageModelMetadata backend);

    /// <summary>Throws a <see cref="NotSupportedException"/> naming the backend when it lacks <paramref name="operation"/>.</summary>
    /// <param name="backend">The backend about to answer.</param>
    /// <param name="operation">The operation the request needs.</param>
    private protected static void Require(LanguageModelMetadata backend, LanguageModelOperation operation) =>
        backend.Capabilities.Require(operation, backend.ToString());

    /// <summary>An <see cref="ArgumentOutOfRangeException"/> whose message names <paramref name="field"/> of this request type and what it must be.</summary>
    /// <param name="field">The property name.</param>
    /// <param name="value">The value it has.</param>
    /// <param name="expected">What it must be, for example "between 0 and 2".</param>
    /// <returns>The exception to throw.</returns>
    private protected ArgumentOutOfRangeException OutOfRange(string field, object? value, string expected) =>
        new("request", value, $"{GetType().Name}.{field} must be {expected} (got {Describe(value)}).");

    /// <summary>Throws when a required text is null, naming it.</summary>
    /// <param name="value">The text.</param>
    /// <param name="field">The property name.</param>
    private protected void RequireText(string? value, string field)
    {
        if (value is null)
        {
            throw new ArgumentNullException("request", $"{GetType().Name}.{field} must not be null.");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
