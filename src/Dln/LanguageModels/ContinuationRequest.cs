namespace DeepLanguageNetworks;

/// <summary>A request to score <see cref="Continuation"/> after <see cref="Context"/> by teacher forcing.</summary>
/// <param name="Context">The conditioning text.</param>
/// <param name="Continuation">The text whose tokens are scored. It is appended to the context verbatim (include any separator yourself).</param>
public sealed record ContinuationRequest(string Context, string Continuation)
{
    /// <summary>Set to skip any cache for this call (the response is still stored).</summary>
    public bool BypassCache { get; init; }

    /// <summary>Why the call is made; used for accounting, not sent to the backend.</summary>
    public CallPurpose Purpose { get; init; } = CallPurpose.Unspecified;
}
