using DeepLanguageNetworks.Extensions.AI;
using DeepLanguageNetworks.Tests.Scripted;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI.Chat;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// Dln inside a Microsoft.Extensions.AI pipeline, built as M.E.AI users build them: OpenAI's chat client through
/// <c>AsIChatClient()</c>, with M.E.AI's own logging, OpenTelemetry and distributed cache middleware, against the
/// in-process server answering from the scripted world in OpenAI's wire format.
/// </summary>
public sealed class ChatClientPipelineTrainingTests
{
    private const string InitialPrompt = "Answer the question.";

    // The paper's DLN-1 settings scaled down as in the other end-to-end tests: 6 iterations, batches of 10, 6 candidates.
    private static VariationalTrainerOptions Options { get; } = VariationalTrainerOptions.Dln1 with { Iterations = 6, BatchSize = 10, PromptCandidates = 6 };

    [Fact]
    public async Task Dln1_trains_through_a_distributed_cache_with_the_capture_below_it_and_a_second_identical_run_is_answered_from_the_cache()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(world));
        var cache = new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));
        var logger = new CapturingLogger();
        using var loggers = new CapturingLoggerFactory(logger);
        using var spans = new SpanRecorder();
        IChatClient pipeline = OpenAIChatClient(server).AsIChatClient().AsBuilder()
            .UseLogging(loggers)
            .UseOpenTelemetry()
            .UseDistributedCache(cache)
            .UseLogProbabilityCapture()
            .Build();
        var model = pipeline.AsLanguageModel();
        var (train, dev, _) = NumberParityTask.Splits();

        var first = Network(model);
        var result = await new VariationalTrainer(model, Options).TrainAsync(first, train, dev);
        var calls = server.RequestCount;

        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
        Assert.Equal([NumberParityTask.TrueRule], NumberRule.StatedIn(result.BestPrompts[0]));
        Assert.True(calls > 50, $"{calls} requests");
        Assert.Contains(server.Requests, r => r.Json?["logprobs"]?.GetValue<bool>() == true && r.Json?["top_logprobs"] is not null);
        Assert.DoesNotContain(server.Requests, r => r.Body.Contains(LogProbabilityCapturingChatClient.PropertyName, StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Text.Contains("GetResponseAsync", StringComparison.Ordinal)); // M.E.AI's logging middleware ran
        Assert.NotEmpty(spans.Spans);                                                                                  // and its OpenTelemetry middleware

        // The same run again, on a fresh network: every request is answered by the distributed cache, log-probabilities included.
        var second = Network(model);
        var again = await new VariationalTrainer(model, Options).TrainAsync(second, train, dev);

        Assert.Equal(calls, server.RequestCount);
        Assert.Equal(result.BestPrompts, again.BestPrompts);
        Assert.Equal(result.BestDevAccuracy, again.BestDevAccuracy);
        Assert.Equal(result.History.Select(h => (h.BatchAccuracy, h.TrainLoss, h.Elbo, h.DevAccuracy)), again.History.Select(h => (h.BatchAccuracy, h.TrainLoss, h.Elbo, h.DevAccuracy)));
    }

    [Fact]
    public async Task A_pipeline_with_logging_and_telemetry_trains_exactly_like_Dlns_own_OpenAI_backend()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var (train, dev, _) = NumberParityTask.Splits();

        await using var ownServer = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(world));
        using var own = OpenAIChatLanguageModel.ForCompatibleServer(ownServer.BaseUrl, "gpt-4o-mini", "sk-test", TestOptions.Chat());
        var expected = await new VariationalTrainer(own, Options).TrainAsync(Network(own), train, dev);

        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(world));
        using var loggers = new CapturingLoggerFactory(new CapturingLogger());
        var model = OpenAIChatClient(server).AsIChatClient().AsBuilder().UseLogging(loggers).UseOpenTelemetry().Build().AsLanguageModel();
        var actual = await new VariationalTrainer(model, Options).TrainAsync(Network(model), train, dev);

        Assert.Equal(ownServer.RequestCount, server.RequestCount);
        Assert.Equal(expected.Calls, actual.Calls);
        Assert.Equal(expected.BestPrompts, actual.BestPrompts);
        Assert.Equal(expected.History.Select(h => (h.BatchAccuracy, h.DevAccuracy, h.Elbo)), actual.History.Select(h => (h.BatchAccuracy, h.DevAccuracy, h.Elbo)));
    }

    [Fact]
    public async Task Accuracy_scoring_trains_through_a_cache_without_the_capture_asking_for_no_log_probabilities_and_a_second_run_is_free()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(world));
        var cache = new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));

        // No capture: the adapter still sees OpenAI underneath and offers log-probabilities; accuracy must not use them.
        var model = OpenAIChatClient(server).AsIChatClient().AsBuilder().UseDistributedCache(cache).Build().AsLanguageModel();
        Assert.True(model.Capabilities.NextTokenLogProbabilities);
        var (train, dev, _) = NumberParityTask.Splits();
        var options = Options with { OutputScoring = OutputScoring.Accuracy };

        var result = await new VariationalTrainer(model, options).TrainAsync(Network(model), train, dev);
        var calls = server.RequestCount;

        Assert.True(calls > 20, $"{calls} requests");
        Assert.All(server.Requests, r => Assert.Null(r.Json?["logprobs"]));
        Assert.True(result.BestDevAccuracy >= result.InitialDevAccuracy);
        Assert.All(result.History.Where(h => h.Iteration > 0), h => Assert.Null(h.TrainLoss)); // accuracy: no class distributions

        var again = await new VariationalTrainer(model, options).TrainAsync(Network(model), train, dev);

        Assert.Equal(calls, server.RequestCount);
        Assert.Equal(result.BestPrompts, again.BestPrompts);
    }

    [Fact]
    public async Task Log_probability_training_through_a_cache_without_the_capture_stops_at_the_first_call_saying_what_to_add_where()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(world));
        var cache = new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));
        var (train, dev, _) = NumberParityTask.Splits();

        // The capture above the cache sees responses only after they were stored: refused like no capture at all.
        foreach (var pipeline in new[]
        {
            OpenAIChatClient(server).AsIChatClient().AsBuilder().UseDistributedCache(cache).Build(),
            OpenAIChatClient(server).AsIChatClient().AsBuilder().UseLogProbabilityCapture().UseDistributedCache(cache).Build(),
        })
        {
            var model = pipeline.AsLanguageModel();
            var error = await Assert.ThrowsAsync<LanguageModelException>(() => new VariationalTrainer(model, Options).TrainAsync(Network(model), train, dev));

            Assert.Equal(LanguageModelErrorKind.LogProbabilitiesNotSupported, error.Kind);
            Assert.Contains("Add .UseLogProbabilityCapture() right after .UseDistributedCache(...)", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Captured_log_probabilities_come_back_from_the_cache_and_requests_with_and_without_them_are_cached_apart()
    {
        (string, double)[] alternatives = [(" Yes", -0.2), (" No", -1.7)];
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(
            OpenAIWire.ChatCompletion("gpt-4o-mini", " Yes", [new WireToken(" Yes", -0.2, alternatives)], promptTokens: 7)));
        var cache = new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));
        var model = OpenAIChatClient(server).AsIChatClient().AsBuilder().UseDistributedCache(cache).UseLogProbabilityCapture().Build().AsLanguageModel();

        var fresh = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Is it?", TopK: 5));
        var cached = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Is it?", TopK: 5));
        var otherTopK = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Is it?", TopK: 3));

        Assert.Equal(2, server.RequestCount); // the top-k asked for is part of the cache key
        Assert.Equal(fresh.TopTokens, cached.TopTokens);
        Assert.Equal([" Yes", " No"], cached.TopTokens.Select(t => t.Token));
        Assert.Equal(-1.7, cached.TopTokens[1].LogProbability, 1e-6);
        Assert.Equal(fresh.Usage, cached.Usage);
        Assert.Equal([" Yes", " No"], otherTopK.TopTokens.Select(t => t.Token));

        // The same chat options without log-probabilities (one greedy token) are another entry, and ask for none.
        var text = await model.GenerateAsync(new GenerationRequest("Is it?") { MaxTokens = 1 });
        Assert.Equal(" Yes", text.Text);
        Assert.Equal(3, server.RequestCount);
        Assert.Null(server.Requests[2].Json?["logprobs"]);
    }

    [Fact]
    public async Task The_capture_removes_the_request_marker_keeps_log_probabilities_as_json_and_leaves_other_responses_alone()
    {
#pragma warning disable OPENAI001 // the model factory is marked experimental; it is how OpenAI's own tests build responses
        var completion = OpenAIChatModelFactory.ChatCompletion(
            content: new ChatMessageContent(" Yes"),
            contentTokenLogProbabilities: [OpenAIChatModelFactory.ChatTokenLogProbabilityDetails(" Yes", -0.25f, null, [OpenAIChatModelFactory.ChatTokenTopLogProbabilityDetails(" Yes", -0.25f, null)])]);
#pragma warning restore OPENAI001
        var inner = new RecordingChatClient((_, _) => new ChatResponse(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Assistant, " Yes")) { RawRepresentation = completion });
        using var capture = new LogProbabilityCapturingChatClient(inner);
        var options = new ChatOptions { Temperature = 0, AdditionalProperties = new() { [LogProbabilityCapturingChatClient.PropertyName] = 20, ["other"] = "kept" } };

        var response = await capture.GetResponseAsync("Is it?", options);

        var seen = Assert.Single(inner.Calls).Options!;
        Assert.False(seen.AdditionalProperties!.ContainsKey(LogProbabilityCapturingChatClient.PropertyName));
        Assert.Equal("kept", seen.AdditionalProperties["other"]);
        Assert.True(options.AdditionalProperties.ContainsKey(LogProbabilityCapturingChatClient.PropertyName)); // the caller's options are not changed
        var kept = Assert.IsType<System.Text.Json.JsonElement>(response.AdditionalProperties![LogProbabilityCapturingChatClient.PropertyName]);
        Assert.Equal(" Yes", kept[0].GetProperty("token").GetString());
        Assert.Equal(-0.25, kept[0].GetProperty("top")[0].GetProperty("logprob").GetDouble(), 1e-6);

        var plain = new RecordingChatClient((_, _) => new ChatResponse(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Assistant, "x")));
        var untouched = await new LogProbabilityCapturingChatClient(plain).GetResponseAsync("Is it?");
        Assert.Null(untouched.AdditionalProperties);
    }

    private static Dln Network(ILanguageModel model) => Dln.CreateOneLayer(model, InitialPrompt, OutputSpace.FromClasses("yes|Yes", "no|No"));

    private static ChatClient OpenAIChatClient(FakeOpenAIServer server) =>
        new("gpt-4o-mini", new System.ClientModel.ApiKeyCredential("sk-test"), new global::OpenAI.OpenAIClientOptions { Endpoint = server.BaseUrl });

}

/// <summary>An <see cref="ILoggerFactory"/> whose every logger is one <see cref="CapturingLogger"/>.</summary>
internal sealed class CapturingLoggerFactory(CapturingLogger logger) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => logger;

    public void Dispose()
    {
    }
}
