namespace DeepLanguageNetworks;

/// <summary>A request to score <see cref="Continuation"/> after <see cref="Context"/> by teacher forcing.</summary>
/// <param name="Context">The conditioning text.</param>
/// <param name="Continuation">The text whose tokens are scored. It is appended to the context verbatim (include any separator yourself).</param>
public sealed record ContinuationRequest(string Context, string Continuation) : LanguageModelRequest
{
    /// <inheritdoc />
    public override LanguageModelOperation Operation => LanguageModelOperation.ContinuationLogProbabilities;

    private protected override void Check(LanguageModelMetadata backend)
    {
        RequireText(Context, nameof(Context));
        RequireText(Continuation, nameof(Continuation));
        Require(backend, Operation);
    }
}
