using System.Collections.Concurrent;

namespace DeepLanguageNetworks.Tests.Fakes;

/// <summary>
/// A test double for <see cref="ILanguageModel"/>: every operation answers from a lambda given by the test, and every
/// request is recorded so tests can check exactly what a layer or network sent. Thread-safe (EvaluateAsync runs
/// examples in parallel).
/// </summary>
internal sealed class ScriptedLanguageModel : ILanguageModel
{
    private readonly ConcurrentQueue<GenerationRequest> _generations = new();
    private readonly ConcurrentQueue<NextTokenRequest> _nextTokens = new();
    private readonly ConcurrentQueue<ContinuationRequest> _continuations = new();

    public ScriptedLanguageModel(LanguageModelCapabilities? capabilities = null, string modelId = "scripted")
    {
        Metadata = new LanguageModelMetadata("fake", modelId, capabilities ?? LanguageModelCapabilities.GenerationOnly);
    }

    /// <summary>A backend with every operation and a top-k limit of <paramref name="maxTopK"/>.</summary>
    public static ScriptedLanguageModel WithEverything(int maxTopK = 20, string modelId = "scripted") => new(
        new LanguageModelCapabilities
        {
            NextTokenLogProbabilities = true,
            MaxTopLogProbabilities = maxTopK,
            ContinuationLogProbabilities = true,
            SampledTokenLogProbabilities = true,
        },
        modelId);

    public LanguageModelMetadata Metadata { get; }

    public Func<GenerationRequest, GenerationResponse> OnGenerate { get; set; } =
        _ => throw new InvalidOperationException("The test did not script GenerateAsync.");

    public Func<NextTokenRequest, NextTokenResponse> OnNextToken { get; set; } =
        _ => throw new InvalidOperationException("The test did not script GetNextTokenLogProbabilitiesAsync.");

    public Func<ContinuationRequest, ContinuationResponse> OnContinuation { get; set; } =
        _ => throw new InvalidOperationException("The test did not script ScoreContinuationAsync.");

    /// <summary>An optional simulated latency per generation (awaited, so parallel callers do not block threads).</summary>
    public Func<GenerationRequest, TimeSpan>? GenerationLatency { get; set; }

    public IReadOnlyList<GenerationRequest> Generations => [.. _generations];

    public IReadOnlyList<NextTokenRequest> NextTokenRequests => [.. _nextTokens];

    public IReadOnlyList<ContinuationRequest> ContinuationRequests => [.. _continuations];

    /// <summary>Scripts generation from the prompt alone, with a fixed usage per call.</summary>
    public ScriptedLanguageModel Generates(Func<string, string> answer, LanguageModelUsage usage = default, FinishReason finishReason = FinishReason.Stop)
    {
        OnGenerate = r => new GenerationResponse(answer(r.Prompt), usage) { FinishReason = finishReason };
        return this;
    }

    public async Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _generations.Enqueue(request);
        if (GenerationLatency?.Invoke(request) is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, cancellationToken);
        }

        return OnGenerate(request);
    }

    public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Metadata.Capabilities.Require(LanguageModelOperation.NextTokenLogProbabilities, Metadata.ToString());
        _nextTokens.Enqueue(request);
        return Task.FromResult(OnNextToken(request));
    }

    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Metadata.Capabilities.Require(LanguageModelOperation.ContinuationLogProbabilities, Metadata.ToString());
        _continuations.Enqueue(request);
        return Task.FromResult(OnContinuation(request));
    }

    public void Dispose()
    {
    }
}
