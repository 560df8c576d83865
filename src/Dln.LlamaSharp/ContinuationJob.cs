namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>Teacher-forced scoring of a continuation after a context.</summary>
/// <remarks>
/// <para>The continuation's tokens are those of <c>tokenize(context + continuation)</c> after its longest common prefix
/// with <c>tokenize(context)</c>: exactly the tokens the model would read if the whole text were its input. Tokenizing
/// the continuation alone would give different tokens at the boundary.</para>
/// <para>When the boundary merges characters (for example a context ending in a space and a continuation starting with
/// a word, which SentencePiece writes as one "▁word" token), the merged token starts inside the context: it is scored as
/// part of the continuation, conditioned on the context tokens before it, and its text includes those context characters.</para>
/// </remarks>
internal sealed class ContinuationJob(ContinuationRequest request, CancellationToken cancellationToken)
    : ScoringJob<ContinuationResponse>(cancellationToken)
{
    private int _firstContinuationIndex;
    private TokenLogProbability[] _scores = [];

    /// <inheritdoc />
    public override void Prepare(LlamaEngine engine)
    {
        var contextTokens = engine.Tokenize(request.Context);
        var tokens = engine.Tokenize(request.Context + request.Continuation);
        if (tokens.Length > engine.ContextSize)
        {
            throw LocalErrors.ContextOverflow(engine, LanguageModelOperation.ContinuationLogProbabilities,
                $"The context and continuation take {tokens.Length} tokens ({contextTokens.Length} for the context), more than the " +
                $"context window of {engine.ContextSize} tokens.");
        }

        var common = TokenSequences.CommonPrefixLength(contextTokens, tokens);
        if (common == 0 && tokens.Length > 0)
        {
            throw new ArgumentException(
                "The first continuation token has nothing to be conditioned on: this model adds no beginning-of-sequence token " +
                "and the context is empty (or merges entirely into the continuation's first token). Give a non-empty context.",
                nameof(request));
        }

        Tokens = tokens;
        _firstContinuationIndex = common;
        _scores = new TokenLogProbability[tokens.Length - common];

        // The token at position i is predicted by the logits of position i - 1.
        FirstLogitPosition = common - 1;
        LastLogitPosition = tokens.Length - 2;
    }

    /// <inheritdoc />
    public override void AcceptLogits(int position, ReadOnlySpan<float> logits, LlamaEngine engine)
    {
        var token = Tokens[position + 1];
        _scores[position + 1 - _firstContinuationIndex] = new TokenLogProbability(engine.TokenText(token), LogitMath.LogProbability(logits, token));
    }

    /// <inheritdoc />
    public override void Complete(LlamaEngine engine) =>
        Succeed(new ContinuationResponse(_scores, new LanguageModelUsage(Tokens.Length, 0)));
}
