using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using Azure.AI.OpenAI;
using Azure.AI.OpenAI.Chat;
using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI;
using OpenAI.Chat;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// An <see cref="ILanguageModel"/> over an OpenAI chat completions endpoint: OpenAI itself, Azure OpenAI, or an
/// OpenAI-compatible server (vLLM, Ollama, llama.cpp server, LM Studio) reached by base URL.
/// </summary>
/// <remarks>
/// <para>Every prompt is sent as a single user message. Generation returns sampled-token log-probabilities when asked;
/// next-token log-probabilities (for class scoring) come from the first generated token's <c>top_logprobs</c>, at most
/// 20. Chat APIs cannot score a given text, so <see cref="LanguageModelCapabilities.ContinuationLogProbabilities"/> is
/// false: train hidden layers (DLN-2) with <see cref="CompletionsScoringModel"/> on a vLLM server or with a local model.</para>
/// <para>The API has no usable <c>n</c>: several samples of one prompt are separate requests, told apart by
/// <see cref="GenerationRequest.SampleIndex"/> and given distinct seeds. Hosted models only try to honour seeds, so the
/// backend is not <see cref="LanguageModelCapabilities.Deterministic"/>.</para>
/// <para>Models built by the factory methods retry 429, 5xx and timed-out attempts with exponential backoff that
/// honours <c>Retry-After</c>, and fail fast on authentication and bad-request errors, with a
/// <see cref="LanguageModelException"/> that names the endpoint and model and never the key. A model built over an
/// existing <see cref="ChatClient"/> keeps that client's own pipeline (see <see cref="ConfigureClientOptions"/>).</para>
/// <para>Thread-safe: the trainer issues many calls at once.</para>
/// </remarks>
public sealed class OpenAIChatLanguageModel : ILanguageModel
{
    /// <summary>The OpenAI API's base URL.</summary>
    public static readonly Uri OpenAIEndpoint = new("https://api.openai.com/v1");

    private readonly ChatClient _chatClient;
    private readonly OpenAIChatLanguageModelOptions _options;
    private readonly ILogger _logger;
    private readonly CallTarget _target;
    private readonly bool _sendLegacyMaxTokens;
    private readonly bool _azureMaxCompletionTokens;

    /// <summary>Wraps an existing <see cref="ChatClient"/>, whose own pipeline (retries, timeout, authentication) applies.</summary>
    /// <param name="chatClient">The client; its model (or Azure deployment) is the one used.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults. Its network settings do not change the client's pipeline.</param>
    /// <param name="logger">Receives one debug line per call and a warning per failure; never keys or headers.</param>
    public OpenAIChatLanguageModel(ChatClient chatClient, OpenAIChatLanguageModelOptions? options = null, ILogger? logger = null)
        : this(chatClient, options ?? new OpenAIChatLanguageModelOptions(), logger, DefaultsFor(chatClient))
    {
    }

    private OpenAIChatLanguageModel(ChatClient chatClient, OpenAIChatLanguageModelOptions options, ILogger? logger, BackendDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _chatClient = chatClient;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _sendLegacyMaxTokens = options.SendLegacyMaxTokens ?? defaults.SendLegacyMaxTokens;
        if (defaults.IsAzure)
        {
            // The Azure library writes max_tokens itself (adding it through Patch would duplicate the field); asked not
            // to, it writes max_completion_tokens instead, which o-series deployments require.
            _azureMaxCompletionTokens = options.SendLegacyMaxTokens == false;
            _sendLegacyMaxTokens = false;
        }

        var providerName = options.ProviderName ?? defaults.ProviderName;
        _target = new CallTarget(providerName, defaults.Label, defaults.Endpoint, defaults.ModelId, defaults.Attempts, defaults.Timeout, defaults.Redactor)
        {
            TotalTimeout = defaults.TotalTimeout,
            Clock = defaults.Clock,
        };
        var capabilities = new LanguageModelCapabilities
        {
            Generation = true,
            SampledTokenLogProbabilities = options.LogProbabilities,
            NextTokenLogProbabilities = options.LogProbabilities,
            MaxTopLogProbabilities = options.LogProbabilities ? options.MaxTopLogProbabilities : 0,
            ContinuationLogProbabilities = false,
            Deterministic = false,
            DefaultMaxConcurrency = options.MaxConcurrency,
            ContextLength = options.ContextLength,
        };
        Metadata = new LanguageModelMetadata(providerName, defaults.ModelId, capabilities)
        {
            Endpoint = defaults.BaseEndpoint,
        };
    }

    /// <inheritdoc />
    public LanguageModelMetadata Metadata { get; }

    /// <inheritdoc />
    public LanguageModelCapabilities Capabilities => Metadata.Capabilities;

    /// <summary>Creates a model on the OpenAI API.</summary>
    /// <param name="apiKey">The OpenAI API key. It is sent in the Authorization header only, never logged or put in a message.</param>
    /// <param name="model">The model name, for example <c>gpt-4o-mini</c>.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives debug lines and retry warnings; never keys or headers.</param>
    /// <returns>The model.</returns>
    public static OpenAIChatLanguageModel ForOpenAI(string apiKey, string model, OpenAIChatLanguageModelOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return ForEndpoint(OpenAIEndpoint, model, apiKey, options, logger, "openai", "OpenAI", sendLegacyMaxTokens: false);
    }

    /// <summary>Creates a model on an OpenAI-compatible server (vLLM, Ollama, llama.cpp server, LM Studio) by base URL.</summary>
    /// <param name="baseUrl">The API base, usually ending in <c>/v1</c>, for example <c>http://127.0.0.1:8000/v1</c> (vLLM) or <c>http://localhost:11434/v1</c> (Ollama).</param>
    /// <param name="model">The model name the server knows, for example <c>Qwen/Qwen2.5-7B-Instruct</c> or <c>llama3.1:8b</c>.</param>
    /// <param name="apiKey">The server's key, or <see langword="null"/> when it needs none.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults (which send <c>max_tokens</c> as well as <c>max_completion_tokens</c>).</param>
    /// <param name="logger">Receives debug lines and retry warnings; never keys or headers.</param>
    /// <returns>The model.</returns>
    public static OpenAIChatLanguageModel ForCompatibleServer(Uri baseUrl, string model, string? apiKey = null, OpenAIChatLanguageModelOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        RequireAbsoluteHttp(baseUrl, nameof(baseUrl));

        // Servers without authentication still expect the header to be well formed.
        return ForEndpoint(baseUrl, model, string.IsNullOrEmpty(apiKey) ? "no-key" : apiKey, options, logger,
            "openai-compatible", "OpenAI-compatible server", sendLegacyMaxTokens: true);
    }

    /// <summary>Creates a model on an Azure OpenAI deployment, authenticated by API key.</summary>
    /// <param name="endpoint">The resource endpoint, for example <c>https://my-resource.openai.azure.com/</c>.</param>
    /// <param name="deployment">The deployment name (not the model name).</param>
    /// <param name="apiKey">The resource key; sent in the <c>api-key</c> header only.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives debug lines and retry warnings; never keys or headers.</param>
    /// <param name="serviceVersion">The <c>api-version</c>, or <see langword="null"/> for the Azure library's default.</param>
    /// <returns>The model.</returns>
    public static OpenAIChatLanguageModel ForAzure(Uri endpoint, string deployment, string apiKey, OpenAIChatLanguageModelOptions? options = null,
        ILogger? logger = null, AzureOpenAIClientOptions.ServiceVersion? serviceVersion = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        return ForAzureCore(endpoint, deployment, options, logger, serviceVersion, apiKey,
            clientOptions => new AzureOpenAIClient(endpoint, new ApiKeyCredential(apiKey), clientOptions));
    }

    /// <summary>Creates a model on an Azure OpenAI deployment, authenticated with Microsoft Entra ID.</summary>
    /// <param name="endpoint">The resource endpoint, for example <c>https://my-resource.openai.azure.com/</c>.</param>
    /// <param name="deployment">The deployment name (not the model name).</param>
    /// <param name="credential">The credential, for example <c>new DefaultAzureCredential()</c> from Azure.Identity.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives debug lines and retry warnings; never tokens or headers.</param>
    /// <param name="serviceVersion">The <c>api-version</c>, or <see langword="null"/> for the Azure library's default.</param>
    /// <returns>The model.</returns>
    public static OpenAIChatLanguageModel ForAzure(Uri endpoint, string deployment, TokenCredential credential, OpenAIChatLanguageModelOptions? options = null,
        ILogger? logger = null, AzureOpenAIClientOptions.ServiceVersion? serviceVersion = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return ForAzureCore(endpoint, deployment, options, logger, serviceVersion, secret: null,
            clientOptions => new AzureOpenAIClient(endpoint, credential, clientOptions));
    }

    /// <summary>
    /// Applies Dln's retry policy (exponential backoff with jitter, <c>Retry-After</c> honoured, no retry of 4xx or of
    /// caller cancellation) and per-attempt timeout to the options of a client you build yourself, for example an
    /// <see cref="OpenAIClientOptions"/> with a custom authentication policy, before wrapping its
    /// <see cref="ChatClient"/> in this class.
    /// </summary>
    /// <param name="clientOptions">The client options to change (OpenAI, Azure OpenAI, or any System.ClientModel options).</param>
    /// <param name="options">Dln's network settings; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives retry warnings.</param>
    public static void ConfigureClientOptions(ClientPipelineOptions clientOptions, HostedLanguageModelOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        var effective = options ?? new OpenAIChatLanguageModelOptions();
        effective.Validate();
        HostedPipeline.Configure(clientOptions, effective, logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public async Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(Metadata);
        var call = new ChatCall(request.Prompt, request.Temperature, request.TopP, request.MaxTokens, request.StopSequences, SeedFor(request),
            request.IncludeLogProbabilities, TopLogProbabilities: null);
        var (completion, text, details) = await CompleteAsync(call, LanguageModelOperation.Generation, cancellationToken).ConfigureAwait(false);
        return new GenerationResponse(text, ReadUsage(completion))
        {
            TokenLogProbabilities = details?.Select(d => new TokenLogProbability(d.Token, d.LogProbability)).ToArray(),
            FinishReason = MapFinishReason(completion, text),
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Sends the context as one user message with <c>max_completion_tokens = 1</c> (and <c>max_tokens = 1</c> for
    /// compatible servers), temperature 0, <c>logprobs = true</c> and <c>top_logprobs = min(TopK, MaxTopLogProbabilities)</c>,
    /// and returns the alternatives of the first generated token.
    /// </remarks>
    public async Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(Metadata);
        var topK = Math.Min(request.TopK, _options.MaxTopLogProbabilities);
        var call = new ChatCall(request.Context, Temperature: 0, TopP: null, MaxTokens: 1, StopSequences: [], Seed: null, LogProbabilities: true, topK);
        var (completion, _, details) = await CompleteAsync(call, LanguageModelOperation.NextTokenLogProbabilities, cancellationToken).ConfigureAwait(false);
        if (details is not [{ TopLogProbabilities.Count: > 0 } first, ..])
        {
            throw NoLogProbabilities(LanguageModelOperation.NextTokenLogProbabilities);
        }

        var top = first.TopLogProbabilities
            .Select(t => new TokenLogProbability(t.Token, t.LogProbability))
            .OrderByDescending(t => t.LogProbability)
            .Take(topK)
            .ToArray();
        return new NextTokenResponse(top, ReadUsage(completion));
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: chat completions cannot score a given text.</exception>
    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(Metadata);
        throw new UnreachableException("Chat backends never advertise continuation scoring.");
    }

    /// <summary>Returns this model, or the wrapped <see cref="ChatClient"/> when asked for one.</summary>
    /// <param name="serviceType">The type requested.</param>
    /// <param name="serviceKey">Must be <see langword="null"/>.</param>
    /// <returns>The service or <see langword="null"/>.</returns>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType.IsInstanceOfType(this) ? this : serviceType.IsInstanceOfType(_chatClient) ? _chatClient : null;
    }

    /// <summary>Does nothing: the chat client holds no unmanaged resources and a caller's <see cref="HttpClient"/> stays the caller's.</summary>
    public void Dispose()
    {
    }

    /// <inheritdoc />
    public override string ToString() => Metadata.ToString();

    private static OpenAIChatLanguageModel ForEndpoint(Uri baseUrl, string model, string apiKey, OpenAIChatLanguageModelOptions? options, ILogger? logger,
        string providerName, string label, bool sendLegacyMaxTokens)
    {
        var effective = options ?? new OpenAIChatLanguageModelOptions();
        effective.Validate();
        var clientOptions = new OpenAIClientOptions { Endpoint = baseUrl };
        HostedPipeline.Configure(clientOptions, effective, logger ?? NullLogger.Instance);
        var chatClient = new ChatClient(model, new ApiKeyCredential(apiKey), clientOptions);
        var endpoint = EndpointText.Describe(EndpointText.Combine(baseUrl, "chat/completions"));
        var defaults = new BackendDefaults(providerName, label, model, endpoint, EndpointText.Describe(baseUrl), IsAzure: false, sendLegacyMaxTokens,
            effective.MaxAttempts, effective.AttemptTimeout, new SecretRedactor(apiKey)) { TotalTimeout = effective.TotalTimeout, Clock = effective.Retry.TimeProvider };
        return new OpenAIChatLanguageModel(chatClient, effective, logger, defaults);
    }

    private static OpenAIChatLanguageModel ForAzureCore(Uri endpoint, string deployment, OpenAIChatLanguageModelOptions? options, ILogger? logger,
        AzureOpenAIClientOptions.ServiceVersion? serviceVersion, string? secret, Func<AzureOpenAIClientOptions, AzureOpenAIClient> createClient)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(deployment);
        RequireAbsoluteHttp(endpoint, nameof(endpoint));
        var effective = options ?? new OpenAIChatLanguageModelOptions();
        effective.Validate();
        var clientOptions = serviceVersion is { } version ? new AzureOpenAIClientOptions(version) : new AzureOpenAIClientOptions();
        HostedPipeline.Configure(clientOptions, effective, logger ?? NullLogger.Instance);
        var chatClient = createClient(clientOptions).GetChatClient(deployment);
        var route = EndpointText.Describe(EndpointText.Combine(endpoint, $"openai/deployments/{deployment}/chat/completions"));
        var defaults = new BackendDefaults("azure-openai", "Azure OpenAI", deployment, route, EndpointText.Describe(endpoint), IsAzure: true,
            SendLegacyMaxTokens: false, effective.MaxAttempts, effective.AttemptTimeout, new SecretRedactor(secret)) { TotalTimeout = effective.TotalTimeout, Clock = effective.Retry.TimeProvider };
        return new OpenAIChatLanguageModel(chatClient, effective, logger, defaults);
    }

    private static BackendDefaults DefaultsFor(ChatClient chatClient)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
#pragma warning disable OPENAI001 // Model and Endpoint are marked experimental; they are the only way to describe a caller's client.
        var model = chatClient.Model;
        var baseUrl = chatClient.Endpoint ?? OpenAIEndpoint;
#pragma warning restore OPENAI001
        var isAzure = chatClient.GetType().Namespace?.StartsWith("Azure.", StringComparison.Ordinal) ?? false;
        var isOpenAI = !isAzure && string.Equals(baseUrl.Host, OpenAIEndpoint.Host, StringComparison.OrdinalIgnoreCase);
        var (provider, label) = isAzure ? ("azure-openai", "Azure OpenAI") : isOpenAI ? ("openai", "OpenAI") : ("openai-compatible", "OpenAI-compatible server");
        var endpoint = isAzure
            ? EndpointText.Describe(EndpointText.Combine(baseUrl, $"openai/deployments/{model}/chat/completions"))
            : EndpointText.Describe(EndpointText.Combine(baseUrl, "chat/completions"));
        return new BackendDefaults(provider, label, model, endpoint, EndpointText.Describe(baseUrl), isAzure, SendLegacyMaxTokens: !isAzure && !isOpenAI,
            Attempts: null, Timeout: null, SecretRedactor.None);
    }

    private static void RequireAbsoluteHttp(Uri uri, string parameterName)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Expected an absolute http or https URL, got '{EndpointText.Describe(uri)}'.", parameterName);
        }
    }

    /// <summary>
    /// The seed sent with a generation: the request's own, or, for the second and later samples of a prompt without one,
    /// the sample index, so that K samples are K distinct requests that a server honouring seeds answers reproducibly.
    /// </summary>
    /// <param name="request">The generation request.</param>
    /// <returns>The seed, or <see langword="null"/> to send none.</returns>
    internal static long? SeedFor(GenerationRequest request) =>
        request.Seed ?? (request.SampleIndex > 0 ? request.SampleIndex : null);

    // The one way a request reaches the chat endpoint: generation and next-token scoring differ only in the values.
    private async Task<(ChatCompletion Completion, string Text, IReadOnlyList<ChatTokenLogProbabilityDetails>? LogProbabilities)> CompleteAsync(
        ChatCall call, LanguageModelOperation operation, CancellationToken cancellationToken)
    {
        var options = BuildOptions(call);
        var stopwatch = Stopwatch.StartNew();
        var operationName = HostedErrors.Describe(operation);
        ChatCompletion completion;
        using var deadline = new CallDeadline(_target, cancellationToken);
        try
        {
            ClientResult<ChatCompletion> result = await _chatClient
                .CompleteChatAsync([new UserChatMessage(call.Prompt)], options, deadline.Token)
                .ConfigureAwait(false);
            completion = result.Value;
        }
        catch (OperationCanceledException exception) when (deadline.HasExpired)
        {
            var timedOut = HostedErrors.TotalTimeout(_target, operation, exception);
            Log.CallFailed(_logger, operationName, _target.Endpoint, _target.ModelId, timedOut.Kind, timedOut.StatusCode);
            throw timedOut;
        }
        catch (Exception exception) when (HostedErrors.Translate(_target, exception, operation, call.LogProbabilities, cancellationToken) is { } translated)
        {
            Log.CallFailed(_logger, operationName, _target.Endpoint, _target.ModelId, translated.Kind, translated.StatusCode);
            throw translated;
        }

        if (completion is null)
        {
            throw HostedErrors.Malformed(_target, operation, "the response had no body");
        }

        var usage = ReadUsage(completion);
        Log.CallCompleted(_logger, operationName, _target.Endpoint, _target.ModelId, stopwatch.ElapsedMilliseconds, usage.InputTokens, usage.OutputTokens);
        try
        {
            var text = string.Concat(completion.Content.Where(part => part.Kind == ChatMessageContentPartKind.Text).Select(part => part.Text));
            if (!call.LogProbabilities)
            {
                return (completion, text, null);
            }

            var details = completion.ContentTokenLogProbabilities;
            return details.Count == 0 && text.Length > 0 ? throw NoLogProbabilities(operation) : (completion, text, details);
        }
        catch (Exception exception) when (exception is ArgumentOutOfRangeException or InvalidOperationException or KeyNotFoundException)
        {
            throw HostedErrors.Malformed(_target, operation, "the response has no choices", exception);
        }
    }

    private ChatCompletionOptions BuildOptions(ChatCall call)
    {
        var options = new ChatCompletionOptions
        {
            Temperature = (float)call.Temperature,
            TopP = call.TopP is { } topP ? (float)topP : null,
            MaxOutputTokenCount = call.MaxTokens,
        };
        foreach (var stop in call.StopSequences)
        {
            options.StopSequences.Add(stop);
        }

#pragma warning disable OPENAI001 // Seed is marked experimental by the OpenAI library; the API field is stable and DLN needs it.
        options.Seed = call.Seed;
#pragma warning restore OPENAI001
        if (call.LogProbabilities)
        {
            options.IncludeLogProbabilities = true;
            options.TopLogProbabilityCount = call.TopLogProbabilities;
        }

        if (_azureMaxCompletionTokens)
        {
#pragma warning disable AOAI001 // Marked experimental by Azure.AI.OpenAI; it is the documented switch to max_completion_tokens.
            options.SetNewMaxCompletionTokensPropertyEnabled(true);
#pragma warning restore AOAI001
        }

        if (_sendLegacyMaxTokens)
        {
#pragma warning disable SCME0001 // Patch is marked experimental; it is the library's documented way to send fields it does not model.
            options.Patch.Set("$.max_tokens"u8, call.MaxTokens);
#pragma warning restore SCME0001
        }

        return options;
    }

    private LanguageModelException NoLogProbabilities(LanguageModelOperation operation) =>
        HostedErrors.Malformed(_target, operation,
            "log-probabilities were requested but the response has none (the server may not support logprobs; " +
            "set OpenAIChatLanguageModelOptions.LogProbabilities = false and use accuracy scoring (OutputScoring.Accuracy) with a one-layer network)");

    private static LanguageModelUsage ReadUsage(ChatCompletion completion) =>
        completion.Usage is { } usage ? new LanguageModelUsage(usage.InputTokenCount, usage.OutputTokenCount) : LanguageModelUsage.Zero;

    private static FinishReason MapFinishReason(ChatCompletion completion, string text)
    {
        try
        {
            return completion.FinishReason switch
            {
                ChatFinishReason.Stop => FinishReason.Stop,
                ChatFinishReason.Length => FinishReason.Length,
                ChatFinishReason.ContentFilter => FinishReason.ContentFilter,
                _ => text.Length == 0 && completion.Refusal is not null ? FinishReason.ContentFilter : FinishReason.Unknown,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            // Some compatible servers send finish reasons the library does not know (for example "abort").
            return FinishReason.Unknown;
        }
    }

    /// <summary>What one chat completion asks for.</summary>
    private sealed record ChatCall(string Prompt, double Temperature, double? TopP, int MaxTokens, IReadOnlyList<string> StopSequences, long? Seed,
        bool LogProbabilities, int? TopLogProbabilities);

    private sealed record BackendDefaults(string ProviderName, string Label, string ModelId, string Endpoint, string BaseEndpoint, bool IsAzure, bool SendLegacyMaxTokens,
        int? Attempts, TimeSpan? Timeout, SecretRedactor Redactor)
    {
        /// <summary>The total timeout of a call; <see langword="null"/> for a caller's client, whose pipeline is its own.</summary>
        public TimeSpan? TotalTimeout { get; init; }

        public TimeProvider Clock { get; init; } = TimeProvider.System;
    }
}
