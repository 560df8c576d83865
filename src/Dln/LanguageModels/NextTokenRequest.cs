namespace DeepLanguageNetworks;

/// <summary>A request for the most likely next tokens after a context.</summary>
/// <param name="Context">The text after which the next token is predicted.</param>
/// <param name="TopK">How many alternatives to return (at least 1); backends clamp it to <see cref="LanguageModelCapabilities.MaxTopLogProbabilities"/>.</param>
public sealed record NextTokenRequest(string Context, int TopK = 20) : LanguageModelRequest
{
    /// <inheritdoc />
    public override LanguageModelOperation Operation => LanguageModelOperation.NextTokenLogProbabilities;

    private protected override void Check(LanguageModelMetadata backend)
    {
        RequireText(Context, nameof(Context));
        if (TopK < 1)
        {
            throw OutOfRange(nameof(TopK), TopK, "at least 1");
        }

        Require(backend, Operation);
    }
}
