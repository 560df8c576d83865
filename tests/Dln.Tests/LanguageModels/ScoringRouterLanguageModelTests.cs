namespace DeepLanguageNetworks.Tests;

/// <summary>Generation and next-token scoring on one model, continuation scoring on another.</summary>
public class ScoringRouterLanguageModelTests
{
    [Fact]
    public async Task Each_operation_goes_to_its_model()
    {
        var generator = new CountingLanguageModel("chat-model");
        var scorer = new CountingLanguageModel("scorer-model");
        using var router = new ScoringRouterLanguageModel(generator, scorer);

        await router.GenerateAsync(new GenerationRequest("Q"));
        await router.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Q"));
        await router.ScoreContinuationAsync(new ContinuationRequest("Q", " A"));

        Assert.Equal([typeof(GenerationRequest), typeof(NextTokenRequest)], generator.Requests.Select(r => r.GetType()));
        Assert.Equal([typeof(ContinuationRequest)], scorer.Requests.Select(r => r.GetType()));
    }

    [Fact]
    public void The_router_reports_continuation_scoring_and_names_both_models()
    {
        var generator = new GenerationOnlyModel("gpt-x", contextLength: 8192);
        var scorer = new CountingLanguageModel("qwen");
        using var router = new ScoringRouterLanguageModel(generator, scorer);
        using var sameModel = new ScoringRouterLanguageModel(new GenerationOnlyModel("qwen", contextLength: null), new CountingLanguageModel("qwen"));

        Assert.True(router.Capabilities.ContinuationLogProbabilities);
        Assert.False(router.Capabilities.NextTokenLogProbabilities);
        Assert.False(router.Capabilities.Deterministic);
        Assert.Equal(8192, router.Capabilities.ContextLength);
        Assert.Equal("gpt-x+qwen", router.Metadata.ModelId);
        Assert.Equal("gen", router.Metadata.ProviderName);
        Assert.Equal("qwen", sameModel.Metadata.ModelId);
        Assert.Same(generator, router.Generator);
        Assert.Same(scorer, router.Scorer);
    }

    [Fact]
    public async Task A_cache_above_the_router_keeps_one_scorers_scores_apart_from_anothers()
    {
        var store = new InMemoryCacheStore();
        var firstScorer = new CountingLanguageModel("scorer-a");
        var secondScorer = new CountingLanguageModel("scorer-b");
        using var first = new GenerationOnlyModel("chat", null).AsBuilder().UseCache(store).UseContinuationScoring(firstScorer).Build();
        using var second = new GenerationOnlyModel("chat", null).AsBuilder().UseCache(store).UseContinuationScoring(secondScorer).Build();

        await first.ScoreContinuationAsync(new ContinuationRequest("Q", " A"));
        var fromSecond = await second.ScoreContinuationAsync(new ContinuationRequest("Q", " A"));

        Assert.False(fromSecond.FromCache);
        Assert.Equal(1, secondScorer.Started);
    }

    [Fact]
    public void A_scorer_that_cannot_score_continuations_is_refused_naming_it()
    {
        var error = Assert.Throws<NotSupportedException>(() => new ScoringRouterLanguageModel(new CountingLanguageModel(), new GenerationOnlyModel("no-scores", null)));

        Assert.Contains("gen:no-scores", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(LanguageModelOperation.ContinuationLogProbabilities), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Services_are_found_in_either_model_and_disposing_the_router_disposes_both()
    {
        var generator = new GenerationOnlyModel("chat", null);
        var scorer = new CountingLanguageModel("scorer");
        var router = generator.AsBuilder().UseContinuationScoring(scorer).Build();

        Assert.Same(generator, router.GetService<GenerationOnlyModel>());
        Assert.Same(scorer, router.GetService<CountingLanguageModel>());
        Assert.IsType<ScoringRouterLanguageModel>(router);

        router.Dispose();
        Assert.True(generator.Disposed);
        Assert.True(scorer.Disposed);
    }

    /// <summary>A chat-like backend: generation only, no log-probabilities.</summary>
    private sealed class GenerationOnlyModel(string modelId, int? contextLength) : ILanguageModel
    {
        public bool Disposed { get; private set; }

        public LanguageModelMetadata Metadata { get; } =
            new("gen", modelId, LanguageModelCapabilities.GenerationOnly with { ContextLength = contextLength, DefaultMaxConcurrency = 16 });

        public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GenerationResponse("answer", new LanguageModelUsage(1, 1)));

        public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public void Dispose() => Disposed = true;
    }
}
