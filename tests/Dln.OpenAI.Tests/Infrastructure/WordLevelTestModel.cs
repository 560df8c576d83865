namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// A deterministic test double with every capability, working on <see cref="WordTokenizer"/> tokens: generation
/// returns a scripted answer, next-token scoring a fixed distribution, and a token's log-probability is a simple
/// function of the text before it and of the token. Served through <see cref="LanguageModelServerHandler"/>, it lets a
/// test check that a backend returns exactly what the model behind the server computed.
/// </summary>
public sealed class WordLevelTestModel : ILanguageModel
{
    private readonly Func<GenerationRequest, string> _answer;

    /// <summary>Creates the model.</summary>
    /// <param name="answer">Returns the generated text for a request; defaults to <c>" answer"</c> followed by the prompt's length.</param>
    public WordLevelTestModel(Func<GenerationRequest, string>? answer = null)
    {
        _answer = answer ?? (r => $" answer{r.Prompt.Length}");
    }

    /// <inheritdoc />
    public LanguageModelMetadata Metadata { get; } = new("test", "word-level", new LanguageModelCapabilities
    {
        SampledTokenLogProbabilities = true,
        NextTokenLogProbabilities = true,
        MaxTopLogProbabilities = 20,
        ContinuationLogProbabilities = true,
        Deterministic = true,
    });

    /// <summary>The log-probability of <paramref name="token"/> after <paramref name="before"/>.</summary>
    /// <param name="before">The text before the token.</param>
    /// <param name="token">The token.</param>
    /// <returns>A negative number that depends on both.</returns>
    public static double TokenLogProbability(string before, string token) =>
        -0.25 * token.Trim().Length - 0.01 * (before.Length % 17) - (token.StartsWith(' ') ? 0.1 : 0.3);

    /// <summary>The next-token distribution after any context: <c>" A"</c>, <c>" B"</c>, <c>" C"</c>... with decreasing log-probabilities.</summary>
    /// <param name="context">The context (its length shifts the values so that different contexts differ).</param>
    /// <param name="topK">How many.</param>
    /// <returns>The top tokens, sorted by decreasing log-probability.</returns>
    public static IReadOnlyList<TokenLogProbability> NextTokens(string context, int topK) =>
        Enumerable.Range(0, Math.Min(topK, 20))
            .Select(i => new TokenLogProbability(" " + (char)('A' + i), -0.5 - i - 0.001 * (context.Length % 13)))
            .ToArray();

    /// <inheritdoc />
    public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        var text = _answer(request);
        var tokens = WordTokenizer.Split(text);
        var logProbabilities = tokens.Select((t, i) => new TokenLogProbability(t, TokenLogProbability(request.Prompt + string.Concat(tokens.Take(i)), t))).ToArray();
        return Task.FromResult(new GenerationResponse(text, new LanguageModelUsage(WordTokenizer.Split(request.Prompt).Count, tokens.Count))
        {
            TokenLogProbabilities = request.IncludeLogProbabilities ? logProbabilities : null,
            FinishReason = FinishReason.Stop,
        });
    }

    /// <inheritdoc />
    public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new NextTokenResponse(NextTokens(request.Context, request.TopK), new LanguageModelUsage(WordTokenizer.Split(request.Context).Count, 1)));

    /// <inheritdoc />
    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        var tokens = WordTokenizer.Split(request.Continuation);
        var scored = tokens.Select((t, i) => new TokenLogProbability(t, TokenLogProbability(request.Context + string.Concat(tokens.Take(i)), t))).ToArray();
        return Task.FromResult(new ContinuationResponse(scored, new LanguageModelUsage(WordTokenizer.Split(request.Context + request.Continuation).Count, 0)));
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
