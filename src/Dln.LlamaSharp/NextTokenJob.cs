namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>The top-k next tokens after a context, from the logits of the context's last token.</summary>
internal sealed class NextTokenJob(NextTokenRequest request, CancellationToken cancellationToken)
    : ScoringJob<NextTokenResponse>(cancellationToken)
{
    private TokenLogProbability[] _topTokens = [];

    /// <inheritdoc />
    public override void Prepare(LlamaEngine engine)
    {
        var tokens = engine.Tokenize(request.Context);
        if (tokens.Length == 0)
        {
            throw new ArgumentException(
                "The context is empty and this model adds no beginning-of-sequence token, so there is nothing to predict from.",
                nameof(request));
        }

        if (tokens.Length > engine.ContextSize)
        {
            throw LocalErrors.ContextOverflow(engine, LanguageModelOperation.NextTokenLogProbabilities,
                $"The context takes {tokens.Length} tokens, more than the context window of {engine.ContextSize} tokens.");
        }

        Tokens = tokens;
        FirstLogitPosition = tokens.Length - 1;
        LastLogitPosition = tokens.Length - 1;
    }

    /// <inheritdoc />
    public override void AcceptLogits(int position, ReadOnlySpan<float> logits, LlamaEngine engine)
    {
        var count = Math.Min(request.TopK, logits.Length);
        var best = LogitMath.TopK(logits, count);
        _topTokens = Array.ConvertAll(best, b => new TokenLogProbability(engine.TokenText(b.Token), b.LogProbability));
    }

    /// <inheritdoc />
    public override void Complete(LlamaEngine engine) =>
        Succeed(new NextTokenResponse(_topTokens, new LanguageModelUsage(Tokens.Length, 0)));
}
