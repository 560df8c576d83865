namespace DeepLanguageNetworks;

/// <summary>A request for the most likely next tokens after a context.</summary>
/// <param name="Context">The text after which the next token is predicted.</param>
/// <param name="TopK">How many alternatives to return; backends clamp it to <see cref="LanguageModelCapabilities.MaxTopLogProbabilities"/>.</param>
public sealed record NextTokenRequest(string Context, int TopK = 20)
{
    /// <summary>Set to skip any cache for this call (the response is still stored).</summary>
    public bool BypassCache { get; init; }

    /// <summary>Why the call is made; used for accounting, not sent to the backend.</summary>
    public CallPurpose Purpose { get; init; } = CallPurpose.Unspecified;
}
