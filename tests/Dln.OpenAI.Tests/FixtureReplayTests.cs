namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// Replays real responses of the OpenAI service (Fixtures/, recorded by the OpenAI .NET library's own tests) through
/// <see cref="OpenAIChatLanguageModel.ForOpenAI"/>: the backend must parse exactly what the service sends.
/// </summary>
public sealed class FixtureReplayTests
{
    private const string ApiKey = "sk-test-FIXTURE-0123456789abcdef";
    private const string PizzaPrompt = "What are the best pizza toppings? Give me a breakdown on the reasons.";

    [Fact]
    public async Task Generation_with_log_probabilities_parses_every_token_of_the_recorded_response()
    {
        var exchange = RecordedExchange.Load("chat-logprobs-top3.json");
        await using var server = await FakeOpenAIServer.StartAsync(exchange.Response);
        using var redirect = new RedirectingHandler(server.RootUrl);
        using var model = OpenAIChatLanguageModel.ForOpenAI(ApiKey, "gpt-4o-mini", Options(redirect));

        var response = await model.GenerateAsync(new GenerationRequest(PizzaPrompt) { IncludeLogProbabilities = true, MaxTokens = 1000 });

        var choice = exchange.ResponseJson["choices"]![0]!;
        var recordedTokens = choice["logprobs"]!["content"]!.AsArray();
        Assert.Equal(choice["message"]!["content"]!.GetValue<string>(), response.Text);
        Assert.NotNull(response.TokenLogProbabilities);
        Assert.Equal(844, recordedTokens.Count);
        Assert.Equal(recordedTokens.Count, response.TokenLogProbabilities.Count);
        for (var i = 0; i < recordedTokens.Count; i++)
        {
            Assert.Equal(recordedTokens[i]!["token"]!.GetValue<string>(), response.TokenLogProbabilities[i].Token);

            // The OpenAI library stores log-probabilities as float.
            Assert.Equal(recordedTokens[i]!["logprob"]!.GetValue<double>(), response.TokenLogProbabilities[i].LogProbability, 1e-5);
        }

        Assert.Equal(response.Text, string.Concat(response.TokenLogProbabilities.Select(t => t.Token)));
        Assert.Equal(new LanguageModelUsage(22, 844), response.Usage);
        Assert.Equal(FinishReason.Stop, response.FinishReason);

        // What was sent: the real OpenAI route, the prompt as one user message, logprobs, no legacy max_tokens.
        Assert.Equal(new Uri("https://api.openai.com/v1/chat/completions"), Assert.Single(redirect.OriginalUris));
        var sent = Assert.Single(server.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal($"Bearer {ApiKey}", sent.GetHeader("Authorization"));
        Assert.True(JsonNodeEquals(exchange.RequestBody["messages"], sent.JsonObject["messages"]));
        Assert.Equal("gpt-4o-mini", sent.JsonObject["model"]!.GetValue<string>());
        Assert.True(sent.JsonObject["logprobs"]!.GetValue<bool>());
        Assert.Equal(1000, sent.JsonObject["max_completion_tokens"]!.GetValue<int>());
        Assert.False(sent.JsonObject.ContainsKey("max_tokens"));
        Assert.False(sent.JsonObject.ContainsKey("top_logprobs"));
    }

    [Fact]
    public async Task Next_token_scoring_returns_the_first_tokens_top_alternatives_of_the_recorded_response()
    {
        var exchange = RecordedExchange.Load("chat-logprobs-top3.json");
        await using var server = await FakeOpenAIServer.StartAsync(exchange.Response);
        using var redirect = new RedirectingHandler(server.RootUrl);
        using var model = OpenAIChatLanguageModel.ForOpenAI(ApiKey, "gpt-4o-mini", Options(redirect));

        var response = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest(PizzaPrompt, TopK: 3));

        var recordedTop = exchange.ResponseJson["choices"]![0]!["logprobs"]!["content"]![0]!["top_logprobs"]!.AsArray();
        Assert.Equal(["The", "Choosing", "Pizza"], response.TopTokens.Select(t => t.Token));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(recordedTop[i]!["logprob"]!.GetValue<double>(), response.TopTokens[i].LogProbability, 1e-5);
        }

        Assert.Equal(new LanguageModelUsage(22, 844), response.Usage);
        var sent = Assert.Single(server.Requests).JsonObject;
        Assert.Equal(3, sent["top_logprobs"]!.GetValue<int>());
        Assert.True(sent["logprobs"]!.GetValue<bool>());
        Assert.Equal(1, sent["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(0, sent["temperature"]!.GetValue<double>());
        Assert.Equal(PizzaPrompt, Assert.Single(sent["messages"]!.AsArray())!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generation_without_log_probabilities_replays_the_plain_response()
    {
        var exchange = RecordedExchange.Load("chat-no-logprobs.json");
        await using var server = await FakeOpenAIServer.StartAsync(exchange.Response);
        using var redirect = new RedirectingHandler(server.RootUrl);
        using var model = OpenAIChatLanguageModel.ForOpenAI(ApiKey, "gpt-4o-mini", Options(redirect));

        var response = await model.GenerateAsync(new GenerationRequest(PizzaPrompt));

        Assert.Equal(exchange.ResponseJson["choices"]![0]!["message"]!["content"]!.GetValue<string>(), response.Text);
        Assert.Null(response.TokenLogProbabilities);
        Assert.Equal(new LanguageModelUsage(22, 815), response.Usage);
        Assert.Equal(FinishReason.Stop, response.FinishReason);
        Assert.False(Assert.Single(server.Requests).JsonObject.ContainsKey("logprobs"));
    }

    [Fact]
    public async Task Next_token_scoring_against_a_response_without_log_probabilities_says_what_to_do()
    {
        var exchange = RecordedExchange.Load("chat-no-logprobs.json");
        await using var server = await FakeOpenAIServer.StartAsync(exchange.Response);
        using var redirect = new RedirectingHandler(server.RootUrl);
        using var model = OpenAIChatLanguageModel.ForOpenAI(ApiKey, "gpt-4o-mini", Options(redirect));

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest(PizzaPrompt)));

        Assert.Equal(LanguageModelErrorKind.MalformedResponse, error.Kind);
        Assert.Contains("https://api.openai.com/v1/chat/completions", error.Message);
        Assert.Contains("LogProbabilities = false", error.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Recorded_401_fails_fast_naming_endpoint_and_model_but_not_the_key()
    {
        var exchange = RecordedExchange.Load("chat-auth-failure-401.json");
        await using var server = await FakeOpenAIServer.StartAsync(exchange.Response);
        using var redirect = new RedirectingHandler(server.RootUrl);
        using var model = OpenAIChatLanguageModel.ForOpenAI(ApiKey, "gpt-4o-mini", Options(redirect));

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateAsync(new GenerationRequest("Uh oh, this isn't going to work with that key")));

        Assert.Equal(LanguageModelErrorKind.Authentication, error.Kind);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal("invalid_api_key", error.ProviderErrorCode);
        Assert.Contains("https://api.openai.com/v1/chat/completions", error.Message);
        Assert.Contains("'gpt-4o-mini'", error.Message);
        Assert.Contains("HTTP 401", error.Message);
        Assert.Contains("Incorrect API key provided", error.Message);
        Assert.DoesNotContain(ApiKey, error.ToString());
        Assert.Equal(1, server.RequestCount);
    }

    private static OpenAIChatLanguageModelOptions Options(RedirectingHandler redirect) => TestOptions.Chat(httpClient: new HttpClient(redirect, disposeHandler: false));

    private static bool JsonNodeEquals(System.Text.Json.Nodes.JsonNode? left, System.Text.Json.Nodes.JsonNode? right) =>
        System.Text.Json.Nodes.JsonNode.DeepEquals(left, right);
}
