namespace DeepLanguageNetworks.Caching.Redis.Tests;

/// <summary>
/// A backend whose every answer names the request it answers (model, operation, prompt, sample index, top-k, …), so
/// that a response read back from a cache shows which request it was stored for. Counts its calls.
/// </summary>
/// <param name="modelId">The model id in the metadata (part of the cache key).</param>
public sealed class IdentityModel(string modelId) : ILanguageModel
{
    private int _calls;

    /// <inheritdoc />
    public LanguageModelMetadata Metadata { get; } = new("identity", modelId, new LanguageModelCapabilities
    {
        SampledTokenLogProbabilities = true,
        NextTokenLogProbabilities = true,
        MaxTopLogProbabilities = 20,
        ContinuationLogProbabilities = true,
        Deterministic = true,
    });

    /// <summary>Calls received.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The text a generation request is answered with.</summary>
    /// <param name="modelId">The model.</param>
    /// <param name="request">The request.</param>
    /// <returns>The text.</returns>
    public static string Answer(string modelId, GenerationRequest request) =>
        $"{modelId}|generate|{request.Prompt}|t={request.Temperature}|sample={request.SampleIndex}|seed={request.Seed}|max={request.MaxTokens}|lp={request.IncludeLogProbabilities}";

    /// <summary>The one token a next-token request is answered with.</summary>
    /// <param name="modelId">The model.</param>
    /// <param name="request">The request.</param>
    /// <returns>The token.</returns>
    public static string Answer(string modelId, NextTokenRequest request) => $"{modelId}|next|{request.Context}|k={request.TopK}";

    /// <summary>The one token a continuation request is answered with.</summary>
    /// <param name="modelId">The model.</param>
    /// <param name="request">The request.</param>
    /// <returns>The token.</returns>
    public static string Answer(string modelId, ContinuationRequest request) => $"{modelId}|continuation|{request.Context}|{request.Continuation}";

    /// <inheritdoc />
    public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var text = Answer(Metadata.ModelId, request);
        return Task.FromResult(new GenerationResponse(text, new LanguageModelUsage(request.Prompt.Length, text.Length))
        {
            TokenLogProbabilities = request.IncludeLogProbabilities ? [new TokenLogProbability(text, -0.1 - request.SampleIndex)] : null,
            FinishReason = FinishReason.Stop,
        });
    }

    /// <inheritdoc />
    public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(new NextTokenResponse([new TokenLogProbability(Answer(Metadata.ModelId, request), -0.5)], new LanguageModelUsage(request.Context.Length, 1)));
    }

    /// <inheritdoc />
    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(new ContinuationResponse([new TokenLogProbability(Answer(Metadata.ModelId, request), -1.5)], new LanguageModelUsage(request.Context.Length, 0)));
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
