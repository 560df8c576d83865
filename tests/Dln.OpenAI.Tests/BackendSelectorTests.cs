using DeepLanguageNetworks.Samples;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>How the samples pick their backend from environment variables.</summary>
public sealed class BackendSelectorTests
{
    private const string OpenAIKey = "sk-SELECTOR-openai-0123456789";
    private const string AzureKey = "SELECTOR-azure-0123456789";

    [Fact]
    public void Nothing_configured_uses_the_fallback()
    {
        using var local = new WordLevelTestModel();

        var selected = Select([], () => new SelectedBackend(local, "local model"));

        Assert.Same(local, selected.Model);
        Assert.Equal("local model", selected.Description);
    }

    [Fact]
    public void Nothing_configured_and_no_fallback_lists_the_variables()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Select([]));

        Assert.Contains("OPENAI_API_KEY", error.Message);
        Assert.Contains("AZURE_OPENAI_ENDPOINT", error.Message);
        Assert.Contains("DLN_BASE_URL", error.Message);
    }

    [Fact]
    public void An_OpenAI_key_selects_OpenAI_with_the_default_or_given_model()
    {
        var byDefault = Select(new() { ["OPENAI_API_KEY"] = OpenAIKey }, Unused);
        var chosen = Select(new() { ["OPENAI_API_KEY"] = OpenAIKey, ["DLN_MODEL"] = "gpt-4.1-mini" }, Unused);

        Assert.IsType<OpenAIChatLanguageModel>(byDefault.Model);
        Assert.Equal("openai", byDefault.Model.Metadata.ProviderName);
        Assert.Equal("gpt-4o-mini", byDefault.Model.Metadata.ModelId);
        Assert.Equal("gpt-4.1-mini", chosen.Model.Metadata.ModelId);
        Assert.Contains("OpenAI gpt-4o-mini", byDefault.Description);
        Assert.DoesNotContain(OpenAIKey, byDefault.Description);
    }

    [Fact]
    public void Azure_takes_precedence_over_OpenAI_and_uses_the_key_when_given()
    {
        var selected = Select(new()
        {
            ["OPENAI_API_KEY"] = OpenAIKey,
            ["AZURE_OPENAI_ENDPOINT"] = "https://my-resource.openai.azure.com/",
            ["AZURE_OPENAI_DEPLOYMENT"] = "gpt4o-prod",
            ["AZURE_OPENAI_API_KEY"] = AzureKey,
        }, Unused);

        Assert.Equal("azure-openai", selected.Model.Metadata.ProviderName);
        Assert.Equal("gpt4o-prod", selected.Model.Metadata.ModelId);
        Assert.Contains("deployment 'gpt4o-prod' at https://my-resource.openai.azure.com", selected.Description);
        Assert.Contains("(API key)", selected.Description);
        Assert.DoesNotContain(AzureKey, selected.Description);
    }

    [Fact]
    public void Azure_without_a_key_uses_Entra_ID()
    {
        var credential = new FakeTokenCredential("t");

        var selected = BackendSelector.Select(Variables(new()
        {
            ["AZURE_OPENAI_ENDPOINT"] = "https://my-resource.openai.azure.com/",
            ["AZURE_OPENAI_DEPLOYMENT"] = "gpt4o",
        }), Unused, azureCredential: credential);

        Assert.Equal("azure-openai", selected.Model.Metadata.ProviderName);
        Assert.Contains("Microsoft Entra ID", selected.Description);
    }

    [Fact]
    public void Azure_without_a_deployment_names_the_missing_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Select(new() { ["AZURE_OPENAI_ENDPOINT"] = "https://r.openai.azure.com/" }));

        Assert.Contains("AZURE_OPENAI_DEPLOYMENT", error.Message);
    }

    [Fact]
    public void A_base_URL_takes_precedence_over_everything_and_needs_a_model()
    {
        var selected = Select(new()
        {
            ["DLN_BASE_URL"] = "http://localhost:11434/v1",
            ["DLN_MODEL"] = "llama3.1:8b",
            ["DLN_SERVER"] = "ollama",
            ["OPENAI_API_KEY"] = OpenAIKey,
            ["AZURE_OPENAI_ENDPOINT"] = "https://r.openai.azure.com/",
            ["AZURE_OPENAI_DEPLOYMENT"] = "d",
        }, Unused);
        var missingModel = Assert.Throws<InvalidOperationException>(() => Select(new() { ["DLN_BASE_URL"] = "http://localhost:8000/v1" }));
        var badUrl = Assert.Throws<InvalidOperationException>(() => Select(new() { ["DLN_BASE_URL"] = "localhost:8000", ["DLN_MODEL"] = "m" }));

        Assert.IsType<OpenAIChatLanguageModel>(selected.Model);
        Assert.Equal("ollama", selected.Model.Metadata.ProviderName);
        Assert.Equal("llama3.1:8b", selected.Model.Metadata.ModelId);
        Assert.Equal(1, selected.Model.Capabilities.DefaultMaxConcurrency);
        Assert.False(selected.Model.Capabilities.ContinuationLogProbabilities);
        Assert.Contains("http://localhost:11434/v1", selected.Description);
        Assert.DoesNotContain(OpenAIKey, selected.Description);
        Assert.Contains("DLN_MODEL", missingModel.Message);
        Assert.Contains("DLN_BASE_URL", badUrl.Message);
    }

    [Fact]
    public void A_vLLM_server_adds_continuation_scoring_on_its_completions_endpoint()
    {
        var flagged = Select(new() { ["DLN_BASE_URL"] = "http://gpu-box:8000/v1", ["DLN_MODEL"] = "Qwen/Qwen2.5-7B-Instruct", ["DLN_SERVER"] = "vLLM" }, Unused);
        var separate = Select(new()
        {
            ["DLN_BASE_URL"] = "http://gpu-box:8000/v1",
            ["DLN_MODEL"] = "Qwen/Qwen2.5-7B-Instruct",
            ["DLN_SCORING_BASE_URL"] = "http://gpu-box:8001/v1",
        }, Unused);

        Assert.True(flagged.Model.Capabilities.ContinuationLogProbabilities);
        Assert.True(flagged.Model.Capabilities.NextTokenLogProbabilities);
        Assert.NotNull(flagged.Model.GetService<CompletionsScoringModel>());
        Assert.NotNull(flagged.Model.GetService<OpenAIChatLanguageModel>());
        Assert.Contains("continuations scored on http://gpu-box:8000/v1/completions", flagged.Description);
        Assert.Equal("http://gpu-box:8001/v1", separate.Model.GetService<CompletionsScoringModel>()!.Metadata.Endpoint);
        Assert.Contains("http://gpu-box:8001/v1/completions", separate.Description);
    }

    [Fact]
    public async Task A_vLLM_selection_routes_each_operation_to_the_right_endpoint()
    {
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(new WordLevelTestModel()));
        var selected = Select(new() { ["DLN_BASE_URL"] = server.BaseUrl.ToString(), ["DLN_MODEL"] = "m", ["DLN_SERVER"] = "vllm", ["DLN_API_KEY"] = "dln-key-123456789" }, Unused);

        await selected.Model.GenerateAsync(new GenerationRequest("Hello"));
        await selected.Model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Hello"));
        var scored = await selected.Model.ScoreContinuationAsync(new ContinuationRequest("Hello", " world"));

        Assert.Equal(["/v1/chat/completions", "/v1/chat/completions", "/v1/completions"], server.Requests.Select(r => r.Path));
        Assert.All(server.Requests, r => Assert.Equal("Bearer dln-key-123456789", r.GetHeader("Authorization")));
        Assert.Equal([" world"], scored.Tokens.Select(t => t.Token));
    }

    [Fact]
    public void Blank_variables_count_as_unset()
    {
        using var local = new WordLevelTestModel();

        var selected = Select(new() { ["OPENAI_API_KEY"] = "  ", ["DLN_BASE_URL"] = "" }, () => new SelectedBackend(local, "local"));

        Assert.Same(local, selected.Model);
    }

    private static SelectedBackend Unused() => throw new InvalidOperationException("The fallback must not be used.");

    private static SelectedBackend Select(Dictionary<string, string?> variables, Func<SelectedBackend>? fallback = null) =>
        BackendSelector.Select(Variables(variables), fallback);

    private static Func<string, string?> Variables(Dictionary<string, string?> variables) => name => variables.GetValueOrDefault(name);
}
