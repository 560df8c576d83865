namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>What the chat backend sends and parses, against the in-process server.</summary>
public sealed class OpenAIChatLanguageModelTests
{
    private const string Key = "sk-compat-KEY-0123456789";

    [Fact]
    public async Task Generation_sends_one_user_message_with_the_decoding_options_and_both_token_limits()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("qwen", " Paris", promptTokens: 12, completionTokens: 2)));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "qwen", Key, TestOptions.Chat());

        var response = await model.GenerateAsync(new GenerationRequest("Capital of France?")
        {
            Temperature = 0.7,
            TopP = 0.9,
            MaxTokens = 40,
            StopSequences = ["\n\n", "###"],
            Seed = 1234,
        });

        Assert.Equal(" Paris", response.Text);
        Assert.Equal(new LanguageModelUsage(12, 2), response.Usage);
        Assert.Equal(FinishReason.Stop, response.FinishReason);
        Assert.Null(response.TokenLogProbabilities);

        var sent = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal($"Bearer {Key}", sent.GetHeader("Authorization"));
        var body = sent.JsonObject;
        Assert.Equal("qwen", body["model"]!.GetValue<string>());
        var message = Assert.Single(body["messages"]!.AsArray())!;
        Assert.Equal("user", message["role"]!.GetValue<string>());
        Assert.Equal("Capital of France?", message["content"]!.GetValue<string>());
        Assert.Equal(0.7, body["temperature"]!.GetValue<double>(), 1e-6);
        Assert.Equal(0.9, body["top_p"]!.GetValue<double>(), 1e-6);
        Assert.Equal(40, body["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(40, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(["\n\n", "###"], body["stop"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(1234, body["seed"]!.GetValue<long>());
        Assert.False(body.ContainsKey("n"));
        Assert.False(body.ContainsKey("logprobs"));
    }

    [Fact]
    public async Task OpenAI_does_not_receive_the_legacy_max_tokens_field_unless_asked()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("gpt-4o-mini", "ok")));
        using var redirect = new RedirectingHandler(server.RootUrl);
        using var plain = OpenAIChatLanguageModel.ForOpenAI(Key, "gpt-4o-mini", TestOptions.Chat(httpClient: new HttpClient(redirect, false)));
        var options = new OpenAIChatLanguageModelOptions { SendLegacyMaxTokens = true, HttpClient = new HttpClient(redirect, false) };
        using var withLegacy = OpenAIChatLanguageModel.ForOpenAI(Key, "gpt-4o-mini", options);

        await plain.GenerateAsync(new GenerationRequest("x") { MaxTokens = 5 });
        await withLegacy.GenerateAsync(new GenerationRequest("x") { MaxTokens = 5 });

        Assert.False(server.Requests[0].JsonObject.ContainsKey("max_tokens"));
        Assert.Equal(5, server.Requests[1].JsonObject["max_tokens"]!.GetValue<int>());
        Assert.All(server.Requests, r => Assert.Equal(5, r.JsonObject["max_completion_tokens"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Samples_of_one_prompt_are_separate_requests_with_distinct_seeds()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("m", "sample")));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat());

        var requests = Enumerable.Range(0, 4).Select(i => new GenerationRequest("Describe a cat.") { Temperature = 1, SampleIndex = i }).ToArray();
        await Task.WhenAll(requests.Select(r => model.GenerateAsync(r)));
        await model.GenerateAsync(new GenerationRequest("Describe a cat.") { Temperature = 1, SampleIndex = 3, Seed = 99 });

        Assert.Equal(5, server.RequestCount);
        var seeds = server.Requests.Take(4).Select(r => r.JsonObject["seed"]?.GetValue<long>()).ToList();
        Assert.Single(seeds, s => s is null);
        Assert.Equal(3, seeds.Where(s => s is not null).Distinct().Count());
        Assert.Equal(99, server.Requests[4].JsonObject["seed"]!.GetValue<long>());
        Assert.All(server.Requests, r => Assert.False(r.JsonObject.ContainsKey("n")));
    }

    [Fact]
    public async Task Generation_with_log_probabilities_returns_each_sampled_token()
    {
        WireToken[] tokens = [new(" Yes", -0.05, []), new(".", -0.7, [])];
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("m", " Yes.", tokens, finishReason: "length")));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat());

        var response = await model.GenerateAsync(new GenerationRequest("Q") { IncludeLogProbabilities = true, MaxTokens = 2 });

        Assert.Equal([" Yes", "."], response.TokenLogProbabilities!.Select(t => t.Token));
        Assert.Equal(-0.05, response.TokenLogProbabilities![0].LogProbability, 1e-6);
        Assert.Equal(-0.7, response.TokenLogProbabilities[1].LogProbability, 1e-6);
        Assert.Equal(FinishReason.Length, response.FinishReason);
        Assert.True(Assert.Single(server.Requests).JsonObject["logprobs"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Next_token_scoring_clamps_top_k_to_twenty_and_sorts_what_the_server_returns()
    {
        // Servers do not promise an order; vLLM also returns the sampled token on top of the k asked for.
        (string, double)[] alternatives = [(" B", -1.5), (" A", -0.2), (" D", -3.0), (" C", -2.1)];
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(
            OpenAIWire.ChatCompletion("m", " A", [new WireToken(" A", -0.2, alternatives)], promptTokens: 30)));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat());

        var wide = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Answer with a letter:", TopK: 100));
        var narrow = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Answer with a letter:", TopK: 3));

        Assert.Equal([" A", " B", " C", " D"], wide.TopTokens.Select(t => t.Token));
        Assert.Equal([" A", " B", " C"], narrow.TopTokens.Select(t => t.Token));
        Assert.Equal(new LanguageModelUsage(30, 1), wide.Usage);
        var first = server.Requests[0].JsonObject;
        Assert.Equal(20, first["top_logprobs"]!.GetValue<int>());
        Assert.Equal(1, first["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(1, first["max_tokens"]!.GetValue<int>());
        Assert.Equal(0, first["temperature"]!.GetValue<double>());
        Assert.Equal(3, server.Requests[1].JsonObject["top_logprobs"]!.GetValue<int>());
    }

    [Fact]
    public async Task Capabilities_are_honest_and_continuation_scoring_is_refused_without_a_request()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("m", "x")));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat());

        var capabilities = model.Capabilities;
        Assert.True(capabilities.Generation);
        Assert.True(capabilities.SampledTokenLogProbabilities);
        Assert.True(capabilities.NextTokenLogProbabilities);
        Assert.Equal(20, capabilities.MaxTopLogProbabilities);
        Assert.False(capabilities.ContinuationLogProbabilities);
        Assert.False(capabilities.Deterministic);
        Assert.Equal(16, capabilities.DefaultMaxConcurrency);
        Assert.Equal("openai-compatible", model.Metadata.ProviderName);
        Assert.Equal("m", model.Metadata.ModelId);
        Assert.Equal(server.BaseUrl.ToString().TrimEnd('/'), model.Metadata.Endpoint!.TrimEnd('/'));

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => model.ScoreContinuationAsync(new ContinuationRequest("a", " b")));
        Assert.Contains("CompletionsScoringModel", error.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task A_model_declared_without_log_probabilities_says_so_and_never_asks_for_them()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("o3-mini", "x")));
        var options = new OpenAIChatLanguageModelOptions { LogProbabilities = false, ProviderName = "reasoning", MaxConcurrency = 4 };
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "o3-mini", options: options);

        Assert.False(model.Capabilities.NextTokenLogProbabilities);
        Assert.False(model.Capabilities.SampledTokenLogProbabilities);
        Assert.Equal(4, model.Capabilities.DefaultMaxConcurrency);
        Assert.Equal("reasoning", model.Metadata.ProviderName);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("x")));
        Assert.Contains("OutputScoring.Accuracy", error.Message);
        await Assert.ThrowsAsync<NotSupportedException>(() => model.GenerateAsync(new GenerationRequest("x") { IncludeLogProbabilities = true }));
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task An_existing_chat_client_is_wrapped_and_reachable_through_GetService()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("llama3.1:8b", "hello")));
        var clientOptions = new global::OpenAI.OpenAIClientOptions { Endpoint = server.BaseUrl };
        OpenAIChatLanguageModel.ConfigureClientOptions(clientOptions, TestOptions.Chat());
        var chatClient = new global::OpenAI.Chat.ChatClient("llama3.1:8b", new System.ClientModel.ApiKeyCredential("ollama"), clientOptions);
        using var model = new OpenAIChatLanguageModel(chatClient);

        var text = await model.GenerateTextAsync("hi");

        Assert.Equal("hello", text);
        Assert.Same(chatClient, model.GetService<global::OpenAI.Chat.ChatClient>());
        Assert.Same(model, model.GetService<OpenAIChatLanguageModel>());
        Assert.Equal("llama3.1:8b", model.Metadata.ModelId);
        Assert.Equal("openai-compatible", model.Metadata.ProviderName);

        // A caller's client to a compatible server also gets max_tokens by default.
        Assert.Equal(256, Assert.Single(server.Requests).JsonObject["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Concurrent_calls_all_complete_with_their_own_answers()
    {
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(new WordLevelTestModel(r => $" echo:{r.Prompt}")));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat());

        var texts = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => model.GenerateTextAsync($"p{i}")));

        Assert.Equal(Enumerable.Range(0, 24).Select(i => $" echo:p{i}"), texts);
        Assert.Equal(24, server.RequestCount);
    }

    [Fact]
    public async Task Next_token_and_generation_round_trip_what_the_model_behind_the_server_computed()
    {
        var behind = new WordLevelTestModel(_ => " two words");
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(behind));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat());

        var next = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Choose:", TopK: 4));
        var generated = await model.GenerateAsync(new GenerationRequest("Say it") { IncludeLogProbabilities = true });
        var expected = await behind.GenerateAsync(new GenerationRequest("Say it") { IncludeLogProbabilities = true });

        var expectedNext = WordLevelTestModel.NextTokens("Choose:", 4);
        Assert.Equal(expectedNext.Select(t => t.Token), next.TopTokens.Select(t => t.Token));
        Assert.All(expectedNext.Zip(next.TopTokens), p => Assert.Equal(p.First.LogProbability, p.Second.LogProbability, 1e-6));
        Assert.Equal(expected.Text, generated.Text);
        Assert.Equal(expected.TokenLogProbabilities!.Select(t => t.Token), generated.TokenLogProbabilities!.Select(t => t.Token));
        Assert.Equal(expected.Usage, generated.Usage);
    }

    [Fact]
    public void The_retry_policy_also_serves_synchronous_calls_of_a_configured_client()
    {
        var server = FakeOpenAIServer.StartAsync(FakeResponse.Error(503, "busy"), FakeResponse.Json(OpenAIWire.ChatCompletion("m", "sync ok"))).GetAwaiter().GetResult();
        try
        {
            var clientOptions = new global::OpenAI.OpenAIClientOptions { Endpoint = server.BaseUrl };
            OpenAIChatLanguageModel.ConfigureClientOptions(clientOptions, TestOptions.Chat());
            var chatClient = new global::OpenAI.Chat.ChatClient("m", new System.ClientModel.ApiKeyCredential("k"), clientOptions);

            var completion = chatClient.CompleteChat([new global::OpenAI.Chat.UserChatMessage("hi")]).Value;

            Assert.Equal("sync ok", completion.Content[0].Text);
            Assert.Equal(2, server.RequestCount);
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Fact]
    public async Task Invalid_requests_are_rejected_before_anything_is_sent()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("m", "x")));
        using var chat = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat());
        using var completions = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        foreach (ILanguageModel model in new ILanguageModel[] { chat, completions })
        {
            var hot = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => model.GenerateAsync(new GenerationRequest("x") { Temperature = 2.5 }));
            Assert.Contains("Temperature", hot.Message);
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => model.GenerateAsync(new GenerationRequest("x") { MaxTokens = 0 }));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => model.GenerateAsync(new GenerationRequest("x") { TopP = 0 }));
            var topK = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("x", TopK: 0)));
            Assert.Contains("TopK", topK.Message);
        }

        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public void Invalid_arguments_are_rejected_with_the_parameter_named()
    {
        Assert.Throws<ArgumentException>("apiKey", () => OpenAIChatLanguageModel.ForOpenAI(" ", "gpt-4o-mini"));
        Assert.Throws<ArgumentException>("model", () => OpenAIChatLanguageModel.ForOpenAI("sk-x", ""));
        Assert.Throws<ArgumentException>("baseUrl", () => OpenAIChatLanguageModel.ForCompatibleServer(new Uri("ftp://host/v1"), "m"));
        Assert.Throws<ArgumentException>("deployment", () => OpenAIChatLanguageModel.ForAzure(new Uri("https://r.openai.azure.com/"), " ", "key-123456789"));
        var invalid = new OpenAIChatLanguageModelOptions { Retry = new() { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(1) } };
        Assert.Throws<ArgumentOutOfRangeException>("MaxDelay", () => OpenAIChatLanguageModel.ForOpenAI("sk-x", "m", invalid));
    }
}
