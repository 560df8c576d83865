using Azure.AI.OpenAI;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>Azure OpenAI through Azure.AI.OpenAI 2.9.0-beta.1 with OpenAI 2.14.0: routes, api-version, authentication.</summary>
public sealed class AzureOpenAITests
{
    private const string AzureKey = "azure-KEY-0123456789abcdef";

    [Fact]
    public async Task Api_key_requests_use_the_deployment_route_api_version_and_api_key_header()
    {
        WireToken[] tokens = [new(" B", -0.3, [(" B", -0.3), (" A", -1.4)])];
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("gpt-4o-mini", " B", tokens, promptTokens: 17)));
        using var model = OpenAIChatLanguageModel.ForAzure(server.RootUrl, "my-deployment", AzureKey, TestOptions.Chat());

        var response = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Pick A or B:", TopK: 5));

        Assert.Equal([" B", " A"], response.TopTokens.Select(t => t.Token));
        Assert.Equal(new LanguageModelUsage(17, 1), response.Usage);
        var sent = Assert.Single(server.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/openai/deployments/my-deployment/chat/completions", sent.Path);
        Assert.False(string.IsNullOrEmpty(sent.GetQueryValue("api-version")));
        Assert.Equal(AzureKey, sent.GetHeader("api-key"));
        Assert.Null(sent.GetHeader("Authorization"));
        Assert.Equal(5, sent.JsonObject["top_logprobs"]!.GetValue<int>());

        // The Azure library sends the legacy field only, which every Azure deployment of a chat model accepts.
        Assert.Equal(1, sent.JsonObject["max_tokens"]!.GetValue<int>());
        Assert.False(sent.JsonObject.ContainsKey("max_completion_tokens"));
        Assert.Equal("azure-openai", model.Metadata.ProviderName);
        Assert.Equal("my-deployment", model.Metadata.ModelId);
    }

    [Fact]
    public async Task The_chosen_service_version_is_sent_and_max_completion_tokens_can_replace_max_tokens()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("o3-mini", "done")));
        var options = new OpenAIChatLanguageModelOptions { SendLegacyMaxTokens = false, LogProbabilities = false };
        using var model = OpenAIChatLanguageModel.ForAzure(server.RootUrl, "o3", AzureKey, options,
            serviceVersion: AzureOpenAIClientOptions.ServiceVersion.V2024_10_21);

        await model.GenerateAsync(new GenerationRequest("Think.") { MaxTokens = 64 });

        var sent = Assert.Single(server.Requests);
        Assert.Equal("2024-10-21", sent.GetQueryValue("api-version"));
        Assert.Equal(64, sent.JsonObject["max_completion_tokens"]!.GetValue<int>());
        Assert.False(sent.JsonObject.ContainsKey("max_tokens"));
    }

    [Fact]
    public async Task Token_credential_requests_carry_a_bearer_token_for_the_cognitive_services_scope()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("gpt-4o", "hi")));
        var credential = new FakeTokenCredential("entra-token-xyz");
        using var model = OpenAIChatLanguageModel.ForAzure(server.RootUrl, "gpt4o", credential, TestOptions.Chat());

        var text = await model.GenerateTextAsync("hello");

        Assert.Equal("hi", text);
        var sent = Assert.Single(server.Requests);
        Assert.Equal("Bearer entra-token-xyz", sent.GetHeader("Authorization"));
        Assert.Null(sent.GetHeader("api-key"));
        Assert.Contains(credential.LastScopes, s => s.Contains("cognitiveservices.azure.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_deployment_fails_fast_naming_the_route_without_query_or_key()
    {
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Error(404, "The API deployment for this resource does not exist.", code: "DeploymentNotFound"));
        using var model = OpenAIChatLanguageModel.ForAzure(server.RootUrl, "no-such-deployment", AzureKey, TestOptions.Chat());

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateAsync(new GenerationRequest("x")));

        Assert.Equal(LanguageModelErrorKind.NotFound, error.Kind);
        Assert.Equal(404, error.StatusCode);
        Assert.Contains($"{server.RootUrl}openai/deployments/no-such-deployment/chat/completions", error.Message);
        Assert.Contains("deployment name", error.Message);
        Assert.DoesNotContain("api-version", error.Message);
        Assert.DoesNotContain(AzureKey, error.ToString());
        Assert.Equal(1, server.RequestCount);
    }
}
