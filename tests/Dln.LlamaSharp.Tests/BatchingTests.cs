namespace DeepLanguageNetworks.LlamaSharp.Tests;

public sealed class BatchingTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    private static readonly string[] Prompts =
    [
        "Read the sentence and decide if the child in it is happy. Answer yes or no.",
        "Is the child happy? Answer yes or no.",
        "Tell if the little one feels good. Say yes or no.",
    ];

    private static readonly string[] Inputs =
    [
        "Lily smiled and ran to hug her big dog.",
        "Tom cried because his red ball was lost.",
        "Ben was scared of the loud noise in the dark.",
        "The kids shared the cookies and had a lot of fun.",
    ];

    private static readonly string[] Answers = [" yes", " no", " maybe not"];

    [Fact]
    public async Task Batched_scoring_equals_one_by_one_scoring()
    {
        var requests = Workload();
        using var oneByOne = new LlamaSharpLanguageModel(fixture.Options() with { EnableBatching = false, EnablePrefixReuse = false });
        var expected = new List<ContinuationResponse>();
        foreach (var request in requests)
        {
            expected.Add(await oneByOne.ScoreContinuationAsync(request));
        }

        using var batched = new LlamaSharpLanguageModel(fixture.Options() with { EnableBatching = true, EnablePrefixReuse = false, BatchSize = 512 });
        var actual = await Task.WhenAll(requests.Select(r => batched.ScoreContinuationAsync(r)));

        AssertSameScores(expected, actual);
        var statistics = batched.GetStatistics();
        Assert.True(statistics.ScoringBatches < requests.Count, $"{statistics.ScoringBatches} batches for {requests.Count} requests: nothing was batched");
        Assert.Equal(0, statistics.ReusedTokens);
        Assert.Equal(requests.Count, oneByOne.GetStatistics().ScoringBatches);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Prefix_reused_scoring_equals_fresh_scoring(bool batching)
    {
        var requests = Workload();
        using var fresh = new LlamaSharpLanguageModel(fixture.Options() with { EnableBatching = batching, EnablePrefixReuse = false });
        var expected = await Task.WhenAll(requests.Select(r => fresh.ScoreContinuationAsync(r)));

        // Small batches make rounds end inside the shared prompts, so the prefix kept between rounds is exercised too.
        using var reusing = new LlamaSharpLanguageModel(fixture.Options() with { EnableBatching = batching, EnablePrefixReuse = true, BatchSize = 64 });
        var actual = await Task.WhenAll(requests.Select(r => reusing.ScoreContinuationAsync(r)));

        AssertSameScores(expected, actual);
        var statistics = reusing.GetStatistics();
        Assert.Equal(fresh.GetStatistics().ScoredTokens, statistics.ScoredTokens);
        Assert.True(statistics.ReusedTokens > statistics.ScoredTokens / 2, $"only {statistics.ReusedTokens} of {statistics.ScoredTokens} tokens were reused");
    }

    [Fact]
    public async Task Concurrent_callers_of_every_operation_get_the_same_results_as_sequential_calls()
    {
        var model = fixture.Model;
        var continuations = Workload().Take(12).ToList();
        var generation = new GenerationRequest("Once upon a time") { MaxTokens = 12 };
        var nextToken = new NextTokenRequest(Prompts[0] + "\n\n" + Inputs[0] + "\n\nAnswer:", 5);

        var expectedScores = new List<ContinuationResponse>();
        foreach (var request in continuations)
        {
            expectedScores.Add(await model.ScoreContinuationAsync(request));
        }

        var expectedText = (await model.GenerateAsync(generation)).Text;
        var expectedTop = (await model.GetNextTokenLogProbabilitiesAsync(nextToken)).TopTokens;

        for (var round = 0; round < 2; round++)
        {
            var scoring = Task.WhenAll(continuations.Select(r => Task.Run(() => model.ScoreContinuationAsync(r))));
            var texts = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => model.GenerateAsync(generation))));
            var tops = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => model.GetNextTokenLogProbabilitiesAsync(nextToken))));

            AssertSameScores(expectedScores, await scoring);
            Assert.All(await texts, t => Assert.Equal(expectedText, t.Text));
            Assert.All(await tops, t => Assert.Equal(expectedTop.Select(x => x.Token), t.TopTokens.Select(x => x.Token)));
        }
    }

    [Fact]
    public async Task A_cancelled_request_is_cancelled_and_the_others_complete()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Model.ScoreContinuationAsync(new ContinuationRequest("a", "b"), cancellation.Token));
        var ok = await fixture.Model.ScoreContinuationAsync(new ContinuationRequest("Once upon", " a time"));
        Assert.NotEmpty(ok.Tokens);
    }

    private static List<ContinuationRequest> Workload() =>
    [
        .. from prompt in Prompts
           from input in Inputs
           from answer in Answers
           select new ContinuationRequest($"{prompt}\n\n{input}\n\nAnswer:", answer),
    ];

    private static void AssertSameScores(IReadOnlyList<ContinuationResponse> expected, IReadOnlyList<ContinuationResponse> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Tokens.Select(t => t.Token), actual[i].Tokens.Select(t => t.Token));
            for (var j = 0; j < expected[i].Tokens.Count; j++)
            {
                Assert.Equal(expected[i].Tokens[j].LogProbability, actual[i].Tokens[j].LogProbability, 1e-4);
            }
        }
    }
}
