using DeepLanguageNetworks.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenAI.Chat;
using AIChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>Any Microsoft.Extensions.AI chat client as a Dln language model.</summary>
public sealed class ChatClientLanguageModelTests
{
    [Fact]
    public async Task An_OpenAI_chat_client_gives_next_token_log_probabilities_through_the_raw_representation()
    {
        (string, double)[] alternatives = [(" No", -1.2), (" Yes", -0.4)];
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(
            OpenAIWire.ChatCompletion("gpt-4o-mini", " Yes", [new WireToken(" Yes", -0.4, alternatives)], promptTokens: 9)));
        var model = OpenAIChatClient(server).AsIChatClient().AsLanguageModel();

        var response = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Is water wet?", TopK: 40));

        Assert.True(model.Capabilities.NextTokenLogProbabilities);
        Assert.False(model.Capabilities.ContinuationLogProbabilities);
        Assert.Equal([" Yes", " No"], response.TopTokens.Select(t => t.Token));
        Assert.Equal(-0.4, response.TopTokens[0].LogProbability, 1e-6);
        Assert.Equal(new LanguageModelUsage(9, 1), response.Usage);
        var body = Assert.Single(server.Requests).JsonObject;
        Assert.True(body["logprobs"]!.GetValue<bool>());
        Assert.Equal(20, body["top_logprobs"]!.GetValue<int>());
        Assert.Equal(1, body["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(0, body["temperature"]!.GetValue<double>());
        Assert.Equal("Is water wet?", Assert.Single(body["messages"]!.AsArray())!["content"]!.GetValue<string>());
        Assert.Equal("gpt-4o-mini", model.Metadata.ModelId);
    }

    [Fact]
    public async Task Generation_through_an_OpenAI_chat_client_maps_options_and_sampled_token_log_probabilities()
    {
        WireToken[] tokens = [new(" blue", -0.3, []), (new(".", -0.1, []))];
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("m", " blue.", tokens, finishReason: "length")));
        var model = OpenAIChatClient(server).AsIChatClient().AsLanguageModel(new ChatClientLanguageModelOptions { SendLegacyMaxTokens = true });

        var response = await model.GenerateAsync(new GenerationRequest("The sky is") { Temperature = 0.3, MaxTokens = 2, StopSequences = ["\n"], SampleIndex = 5, IncludeLogProbabilities = true });

        Assert.Equal(" blue.", response.Text);
        Assert.Equal([" blue", "."], response.TokenLogProbabilities!.Select(t => t.Token));
        Assert.Equal(FinishReason.Length, response.FinishReason);
        var body = Assert.Single(server.Requests).JsonObject;
        Assert.Equal(0.3, body["temperature"]!.GetValue<double>(), 1e-6);
        Assert.Equal(2, body["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(2, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(5, body["seed"]!.GetValue<long>());
        Assert.True(body["logprobs"]!.GetValue<bool>());
        Assert.Equal(["\n"], body["stop"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task A_cache_that_drops_the_raw_representation_is_reported_at_the_first_call_before_anything_is_sent()
    {
        (string, double)[] alternatives = [(" A", -0.1)];
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("m", " A", [new WireToken(" A", -0.1, alternatives)])));
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var cached = OpenAIChatClient(server).AsIChatClient().AsBuilder().UseDistributedCache(cache).Build();
        var model = cached.AsLanguageModel();

        // Before: the first call worked and the second, a cache hit, failed. Now the first is refused: nothing is sent.
        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Pick:")));

        Assert.Equal(0, server.RequestCount);
        Assert.Equal(LanguageModelErrorKind.LogProbabilitiesNotSupported, error.Kind);
        Assert.True(error.IsPermanent);
        Assert.Contains("UseDistributedCache", error.Message);
        Assert.Contains(".UseLogProbabilityCapture()", error.Message);
        Assert.Contains("below the cache", error.Message);
        Assert.Contains("OutputScoring.Accuracy", error.Message);

        // Generation needs no log-probabilities and goes through the same pipeline.
        Assert.Equal(" A", await model.GenerateTextAsync("Pick:"));
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Any_chat_client_generates_with_the_request_mapped_to_chat_options()
    {
        var client = new RecordingChatClient((_, _) => new ChatResponse(new AIChatMessage(ChatRole.Assistant, "42"))
        {
            FinishReason = AIChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 11, OutputTokenCount = 1 },
        });
        using var model = new ChatClientLanguageModel(client, new ChatClientLanguageModelOptions { ModelId = "custom" });

        var response = await model.GenerateAsync(new GenerationRequest("6 x 7 =") { Temperature = 0.2, TopP = 0.5, MaxTokens = 8, StopSequences = ["\n"], Seed = 7 });

        Assert.Equal("42", response.Text);
        Assert.Equal(new LanguageModelUsage(11, 1), response.Usage);
        Assert.Equal(FinishReason.Stop, response.FinishReason);
        var (messages, options) = Assert.Single(client.Calls);
        var message = Assert.Single(messages);
        Assert.Equal(ChatRole.User, message.Role);
        Assert.Equal("6 x 7 =", message.Text);
        Assert.NotNull(options);
        Assert.Equal(0.2f, options.Temperature);
        Assert.Equal(0.5f, options.TopP);
        Assert.Equal(8, options.MaxOutputTokens);
        Assert.Equal(["\n"], options.StopSequences!);
        Assert.Equal(7, options.Seed);
        Assert.Equal("custom", options.ModelId);
        Assert.Null(options.RawRepresentationFactory);
    }

    [Fact]
    public async Task A_chat_client_without_OpenAI_underneath_offers_generation_only()
    {
        var client = new RecordingChatClient((_, _) => new ChatResponse(new AIChatMessage(ChatRole.Assistant, "x")));
        using var model = new ChatClientLanguageModel(client);

        Assert.False(model.Capabilities.NextTokenLogProbabilities);
        Assert.False(model.Capabilities.SampledTokenLogProbabilities);
        Assert.False(model.Capabilities.ContinuationLogProbabilities);
        Assert.Equal("recording", model.Metadata.ProviderName);
        Assert.Equal("rec-model", model.Metadata.ModelId);
        Assert.Equal("http://localhost:5000/api", model.Metadata.Endpoint);
        await Assert.ThrowsAsync<NotSupportedException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("x")));
        await Assert.ThrowsAsync<NotSupportedException>(() => model.ScoreContinuationAsync(new ContinuationRequest("x", "y")));
        Assert.Empty(client.Calls);
    }

    [Fact]
    public async Task Forcing_log_probabilities_on_a_client_that_cannot_give_them_fails_clearly()
    {
        var client = new RecordingChatClient((_, _) => new ChatResponse(new AIChatMessage(ChatRole.Assistant, "x")));
        using var model = new ChatClientLanguageModel(client, new ChatClientLanguageModelOptions { LogProbabilities = true });

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("x")));

        Assert.Contains("returned no log-probabilities", error.Message);
        Assert.True(error.IsPermanent);
        Assert.NotNull(Assert.Single(client.Calls).Options!.RawRepresentationFactory);
    }

    [Fact]
    public void Adapters_convert_back_to_what_they_wrap()
    {
        var client = new RecordingChatClient((_, _) => new ChatResponse());
        using var model = new WordLevelTestModel();

        Assert.Same(client, client.AsLanguageModel().AsChatClient());
        Assert.Same(model, model.AsChatClient().AsLanguageModel());
        Assert.Same(client, new ChatClientLanguageModel(client).GetService<RecordingChatClient>());
    }

    [Fact]
    public async Task HTTP_errors_of_an_OpenAI_chat_client_become_the_libraries_error_with_kind_and_status()
    {
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Error(401, "Incorrect API key provided: sk-meai-0123456789.", code: "invalid_api_key"),
            FakeResponse.Error(400, "This model's maximum context length is 128000 tokens.", code: "context_length_exceeded"));
        var model = OpenAIChatClient(server).AsIChatClient().AsLanguageModel();

        var rejected = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateAsync(new GenerationRequest("x")));
        var tooLong = await Assert.ThrowsAsync<LanguageModelException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("x")));

        Assert.Equal(LanguageModelErrorKind.Authentication, rejected.Kind);
        Assert.True(rejected.IsPermanent);
        Assert.Equal(401, rejected.StatusCode);
        Assert.Equal(LanguageModelOperation.Generation, rejected.Operation);
        Assert.Equal("gpt-4o-mini", rejected.ModelId);
        Assert.IsType<System.ClientModel.ClientResultException>(rejected.InnerException);
        Assert.DoesNotContain("sk-meai-0123456789", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(LanguageModelErrorKind.ContextLengthExceeded, tooLong.Kind);
        Assert.False(tooLong.IsTransient);
    }

    private static ChatClient OpenAIChatClient(FakeOpenAIServer server) =>
        new("gpt-4o-mini", new System.ClientModel.ApiKeyCredential("sk-meai-0123456789"), new global::OpenAI.OpenAIClientOptions { Endpoint = server.BaseUrl });
}
