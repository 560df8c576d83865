using Azure.Core;
using Azure.Identity;
using DeepLanguageNetworks.OpenAI;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.Samples;

/// <summary>
/// Picks the samples' language model from environment variables, so that one sample runs unchanged on a local model,
/// OpenAI, Azure OpenAI, or a self-hosted OpenAI-compatible server.
/// </summary>
/// <remarks>
/// First match wins:
/// <list type="number">
/// <item><description><c>DLN_BASE_URL</c> (with <c>DLN_MODEL</c>; key from <c>DLN_API_KEY</c>, else <c>OPENAI_API_KEY</c>, else none):
/// an OpenAI-compatible server such as vLLM (<c>http://localhost:8000/v1</c>) or Ollama (<c>http://localhost:11434/v1</c>).
/// <c>DLN_SERVER</c> names it (<c>vllm</c>, <c>ollama</c>, <c>llamacpp</c>); with <c>DLN_SERVER=vllm</c> or
/// <c>DLN_SCORING_BASE_URL</c> set, continuations are scored on that server's <c>/completions</c> endpoint (needed for DLN-2).</description></item>
/// <item><description><c>AZURE_OPENAI_ENDPOINT</c> with <c>AZURE_OPENAI_DEPLOYMENT</c>: Azure OpenAI, with <c>AZURE_OPENAI_API_KEY</c>
/// when set, otherwise Microsoft Entra ID through <see cref="DefaultAzureCredential"/> (az login, managed identity...).</description></item>
/// <item><description><c>OPENAI_API_KEY</c>: OpenAI, model <c>DLN_MODEL</c> or <c>gpt-4o-mini</c>.</description></item>
/// <item><description>Otherwise the caller's fallback (the local model).</description></item>
/// </list>
/// </remarks>
public static class BackendSelector
{
    /// <summary>The OpenAI model used when <c>DLN_MODEL</c> is not set.</summary>
    public const string DefaultOpenAIModel = "gpt-4o-mini";

    /// <summary>Selects the backend from the process's environment variables.</summary>
    /// <param name="fallback">Creates the backend used when no hosted backend is configured (the local model); <see langword="null"/> to fail instead.</param>
    /// <param name="logger">Passed to hosted backends for retry warnings.</param>
    /// <returns>The model and its description.</returns>
    /// <exception cref="InvalidOperationException">A variable is missing or malformed, or nothing is configured and there is no fallback.</exception>
    public static SelectedBackend Select(Func<SelectedBackend>? fallback = null, ILogger? logger = null) =>
        Select(Environment.GetEnvironmentVariable, fallback, logger);

    /// <summary>Selects the backend from the given variables (tests pass a dictionary).</summary>
    /// <param name="getVariable">Returns a variable's value, or <see langword="null"/> when unset.</param>
    /// <param name="fallback">Creates the backend used when no hosted backend is configured; <see langword="null"/> to fail instead.</param>
    /// <param name="logger">Passed to hosted backends for retry warnings.</param>
    /// <param name="azureCredential">The Entra ID credential for Azure without a key; <see langword="null"/> for <see cref="DefaultAzureCredential"/>.</param>
    /// <returns>The model and its description.</returns>
    /// <exception cref="InvalidOperationException">A variable is missing or malformed, or nothing is configured and there is no fallback.</exception>
    public static SelectedBackend Select(Func<string, string?> getVariable, Func<SelectedBackend>? fallback = null, ILogger? logger = null,
        TokenCredential? azureCredential = null)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? Get(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        if (Get("DLN_BASE_URL") is { } baseUrlText)
        {
            return SelectCompatibleServer(Get, baseUrlText, logger);
        }

        if (Get("AZURE_OPENAI_ENDPOINT") is { } azureEndpointText)
        {
            var endpoint = ParseUrl("AZURE_OPENAI_ENDPOINT", azureEndpointText);
            var deployment = Get("AZURE_OPENAI_DEPLOYMENT") ?? throw new InvalidOperationException(
                "AZURE_OPENAI_ENDPOINT is set but AZURE_OPENAI_DEPLOYMENT is not: set it to the name of your chat model deployment (for example gpt-4o-mini).");
            var where = $"deployment '{deployment}' at {EndpointText(endpoint)}";
            if (Get("AZURE_OPENAI_API_KEY") is { } azureKey)
            {
                return new SelectedBackend(OpenAIChatLanguageModel.ForAzure(endpoint, deployment, azureKey, logger: logger),
                    $"Azure OpenAI {where} (API key)");
            }

            return new SelectedBackend(OpenAIChatLanguageModel.ForAzure(endpoint, deployment, azureCredential ?? new DefaultAzureCredential(), logger: logger),
                $"Azure OpenAI {where} (Microsoft Entra ID)");
        }

        if (Get("OPENAI_API_KEY") is { } openAIKey)
        {
            var model = Get("DLN_MODEL") ?? DefaultOpenAIModel;
            return new SelectedBackend(OpenAIChatLanguageModel.ForOpenAI(openAIKey, model, logger: logger),
                $"OpenAI {model} ({EndpointText(OpenAIChatLanguageModel.OpenAIEndpoint)})");
        }

        return fallback?.Invoke() ?? throw new InvalidOperationException(
            "No language model is configured. Set OPENAI_API_KEY (OpenAI), or AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_DEPLOYMENT " +
            "(Azure OpenAI, with AZURE_OPENAI_API_KEY or Entra ID), or DLN_BASE_URL and DLN_MODEL (vLLM, Ollama, llama.cpp server).");
    }

    private static SelectedBackend SelectCompatibleServer(Func<string, string?> get, string baseUrlText, ILogger? logger)
    {
        var baseUrl = ParseUrl("DLN_BASE_URL", baseUrlText);
        var model = get("DLN_MODEL") ?? throw new InvalidOperationException(
            "DLN_BASE_URL is set but DLN_MODEL is not: set DLN_MODEL to the model name the server serves (for example Qwen/Qwen2.5-7B-Instruct or llama3.1:8b).");
        var server = get("DLN_SERVER")?.ToLowerInvariant();

        // The server's own key first: an OpenAI key is only sent to a third-party server when no other key is given.
        var apiKey = get("DLN_API_KEY") ?? get("OPENAI_API_KEY");
        var chatOptions = new OpenAIChatLanguageModelOptions
        {
            ProviderName = server,

            // Ollama answers one request at a time (ollama/ollama#11277); more in flight only queue up and time out.
            MaxConcurrency = server == "ollama" ? 1 : 16,
        };
        ILanguageModel chat = OpenAIChatLanguageModel.ForCompatibleServer(baseUrl, model, apiKey, chatOptions, logger);
        var description = $"{(server is null ? "OpenAI-compatible server" : server)} at {EndpointText(baseUrl)}, model '{model}'";

        var scoringUrlText = get("DLN_SCORING_BASE_URL") ?? (server == "vllm" ? baseUrlText : null);
        if (scoringUrlText is null)
        {
            return new SelectedBackend(chat, description);
        }

        var scoringUrl = ParseUrl("DLN_SCORING_BASE_URL", scoringUrlText);
        var scorer = new CompletionsScoringModel(scoringUrl, model, apiKey, new CompletionsScoringModelOptions { ProviderName = server ?? "vllm" }, logger);
        return new SelectedBackend(new ScoringRouterLanguageModel(chat, scorer),
            $"{description}; continuations scored on {EndpointText(scoringUrl)}/completions");
    }

    private static Uri ParseUrl(string variable, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidOperationException($"{variable} must be an absolute http or https URL; got a value that is not.");

    private static string EndpointText(Uri uri) =>
        uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped).TrimEnd('/');
}
