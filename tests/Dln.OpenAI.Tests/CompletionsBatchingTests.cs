using System.Text.Json.Nodes;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// Prompts batched per request by <see cref="CompletionsScoringModel"/>: concurrent calls with the same settings travel
/// as one <c>/v1/completions</c> request with a list of prompts, each caller gets the choice of its prompt, a failure
/// fails each caller, an invalid request is retried prompt by prompt, and a batch counts once against the model's
/// requests-per-minute limit.
/// </summary>
public sealed class CompletionsBatchingTests
{
    private static CompletionsScoringModelOptions Batching(int maxPrompts, int maxRetries = 2, int? requestsPerMinute = null) => TestOptions.Completions(maxRetries) with
    {
        MaxPromptsPerRequest = maxPrompts,
        BatchWindow = TimeSpan.FromMilliseconds(200),
        RequestsPerMinute = requestsPerMinute,
    };

    private static ContinuationRequest[] Continuations(int count) =>
        Enumerable.Range(0, count).Select(i => new ContinuationRequest($"Question {i}: is {i} even?\nAnswer:", i % 2 == 0 ? " yes it is" : " no")).ToArray();

    [Fact]
    public async Task Concurrent_scoring_calls_travel_together_and_each_caller_gets_the_answer_to_its_own_prompt()
    {
        var behind = new WordLevelTestModel();
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(behind));
        using var batched = new CompletionsScoringModel(server.BaseUrl, "llama", options: Batching(4));
        var requests = Continuations(8);

        var responses = await Task.WhenAll(requests.Select(r => batched.ScoreContinuationAsync(r)));

        // Two requests of four prompts each: the first four calls, then the next four, each in the order the calls came.
        // The two requests travel at once, so the server may receive either first.
        Assert.Equal(2, server.RequestCount);
        Assert.All(server.Requests, r => Assert.Equal(4, r.JsonObject["prompt"]!.AsArray().Count));
        var expectedBatches = requests.Select(r => r.Context + r.Continuation).Chunk(4).Select(b => string.Join("\u241E", b));
        var sentBatches = server.Requests.Select(r => string.Join("\u241E", r.JsonObject["prompt"]!.AsArray().Select(p => p!.GetValue<string>())));
        Assert.Equal(expectedBatches.Order(StringComparer.Ordinal), sentBatches.Order(StringComparer.Ordinal));
        for (var i = 0; i < requests.Length; i++)
        {
            var expected = await behind.ScoreContinuationAsync(requests[i]);
            Assert.Equal(expected.Tokens.Select(t => t.Token), responses[i].Tokens.Select(t => t.Token));
            Assert.Equal(expected.Sum, responses[i].Sum, 1e-12);
        }

        // The usage of a request is shared out among its callers; the totals are the server's (here: those of the
        // same calls sent one by one).
        using var single = new CompletionsScoringModel(server.BaseUrl, "llama", options: TestOptions.Completions());
        var alone = await Task.WhenAll(requests.Select(r => single.ScoreContinuationAsync(r)));
        Assert.Equal(alone.Sum(r => r.Usage.InputTokens), responses.Sum(r => r.Usage.InputTokens));
        Assert.Equal(alone.Sum(r => r.Usage.OutputTokens), responses.Sum(r => r.Usage.OutputTokens));
        Assert.All(responses, r => Assert.True(r.Usage.InputTokens > 0));
    }

    [Fact]
    public async Task Next_token_calls_are_batched_apart_from_continuation_calls_and_map_back_by_index()
    {
        var behind = new WordLevelTestModel();
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(behind));
        using var batched = new CompletionsScoringModel(server.BaseUrl, "llama", options: Batching(8));
        using var single = new CompletionsScoringModel(server.BaseUrl, "llama", options: TestOptions.Completions());
        var contexts = Enumerable.Range(0, 3).Select(i => $"Case {i} says").ToArray();

        var next = contexts.Select(c => batched.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest(c, 3))).ToArray();
        var scores = Continuations(2).Select(r => batched.ScoreContinuationAsync(r)).ToArray();
        await Task.WhenAll(next.Cast<Task>().Concat(scores));

        // One request per kind of call (different settings never share a request).
        Assert.Equal(2, server.RequestCount);
        for (var i = 0; i < contexts.Length; i++)
        {
            var alone = await single.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest(contexts[i], 3));
            Assert.Equal(alone.TopTokens, next[i].Result.TopTokens);
        }
    }

    [Fact]
    public async Task A_failed_batch_fails_each_of_its_callers_with_the_error()
    {
        await using var server = await FakeOpenAIServer.StartAsync(_ => Task.FromResult(FakeResponse.Error(503, "overloaded")));
        using var batched = new CompletionsScoringModel(server.BaseUrl, "llama", options: Batching(4, maxRetries: 0));

        var calls = Continuations(4).Select(r => batched.ScoreContinuationAsync(r)).ToArray();

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<LanguageModelException>(() => call);
            Assert.Equal(LanguageModelErrorKind.ServerError, error.Kind);
            Assert.Equal(503, error.StatusCode);
        }

        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task An_invalid_batch_is_sent_again_prompt_by_prompt_so_that_only_the_bad_input_fails()
    {
        var answer = LanguageModelServerHandler.Create(new WordLevelTestModel());
        await using var server = await FakeOpenAIServer.StartAsync(request =>
        {
            // Like vLLM: a prompt over the context window fails the whole request.
            var prompt = request.JsonObject["prompt"];
            var texts = prompt is JsonArray list ? list.Select(p => p!.GetValue<string>()) : [prompt!.GetValue<string>()];
            return texts.Any(t => t.Contains("TOO LONG", StringComparison.Ordinal))
                ? Task.FromResult(FakeResponse.Error(400, "This model's maximum context length is 8 tokens.", "context_length_exceeded"))
                : answer(request);
        });
        using var batched = new CompletionsScoringModel(server.BaseUrl, "llama", options: Batching(4));
        var requests = Continuations(4);
        requests[2] = new ContinuationRequest("TOO LONG context", " x");

        var calls = requests.Select(r => batched.ScoreContinuationAsync(r)).ToArray();

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => calls[2]);
        Assert.Equal(LanguageModelErrorKind.ContextLengthExceeded, error.Kind);
        foreach (var i in new[] { 0, 1, 3 })
        {
            Assert.NotEmpty((await calls[i]).Tokens);
        }

        // The batch, then each prompt alone.
        Assert.Equal(1 + 4, server.RequestCount);
    }

    [Fact]
    public async Task A_batched_request_counts_once_against_the_requests_per_minute_limit()
    {
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(new WordLevelTestModel()));

        // One request a minute: eight calls get through at once only because they are one request.
        using var batched = new CompletionsScoringModel(server.BaseUrl, "llama", options: Batching(8, requestsPerMinute: 1));
        var calls = Continuations(8).Select(r => batched.ScoreContinuationAsync(r)).ToArray();
        var all = Task.WhenAll(calls);

        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(20))));
        Assert.Equal(1, server.RequestCount);

        // A second request must wait for the next minute.
        var next = batched.ScoreContinuationAsync(new ContinuationRequest("One more", " call"));
        await Task.Delay(500);
        Assert.False(next.IsCompleted);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_caller_that_cancels_leaves_the_others_their_answers()
    {
        var answer = LanguageModelServerHandler.Create(new WordLevelTestModel());
        await using var server = await FakeOpenAIServer.StartAsync(async request => (await answer(request)) with { Delay = TimeSpan.FromMilliseconds(300) });
        using var batched = new CompletionsScoringModel(server.BaseUrl, "llama", options: Batching(3));
        using var cancellation = new CancellationTokenSource();
        var requests = Continuations(3);

        var calls = requests.Select((r, i) => batched.ScoreContinuationAsync(r, i == 1 ? cancellation.Token : default)).ToArray();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calls[1]);
        Assert.NotEmpty((await calls[0]).Tokens);
        Assert.NotEmpty((await calls[2]).Tokens);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public void Batching_options_are_checked_and_the_model_advertises_room_for_full_requests()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionsScoringModelOptions { MaxPromptsPerRequest = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionsScoringModelOptions { BatchWindow = TimeSpan.FromSeconds(2) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionsScoringModelOptions { RequestsPerMinute = 0 });
        Assert.Equal(1, new CompletionsScoringModelOptions().MaxPromptsPerRequest);

        using var model = new CompletionsScoringModel(new Uri("http://127.0.0.1:9/v1"), "llama", options: new CompletionsScoringModelOptions { MaxConcurrency = 4, MaxPromptsPerRequest = 8 });
        Assert.Equal(32, model.Capabilities.DefaultMaxConcurrency);
    }

    [Theory]
    [InlineData(10, new[] { 1.0, 1.0, 1.0 }, new long[] { 4, 3, 3 })]
    [InlineData(7, new[] { 3.0, 1.0 }, new long[] { 5, 2 })]
    [InlineData(0, new[] { 2.0, 5.0 }, new long[] { 0, 0 })]
    public void Usage_is_divided_in_whole_tokens_that_add_up(long total, double[] weights, long[] expected) =>
        Assert.Equal(expected, PromptBatcher.Divide(total, weights));
}
