using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// An <see cref="ILanguageModel"/> over the text completions endpoint (<c>POST {baseUrl}/completions</c>) of a
/// vLLM-style server. It offers every operation, including the one chat APIs lack: teacher-forced scoring of a given
/// continuation, which DLN-2 needs to train its hidden layer on a self-hosted model.
/// </summary>
/// <remarks>
/// <para>Continuation scoring sends <c>prompt = context + continuation</c> with <c>echo: true, logprobs: 1,
/// max_tokens: 1</c> (or 0, see <see cref="CompletionsScoringModelOptions.EchoMaxTokens"/>) and reads the
/// log-probabilities of exactly the continuation's tokens; with
/// <see cref="ContinuationScoringMode.PromptLogProbabilities"/> it uses vLLM's <c>prompt_logprobs</c> instead. A token
/// that straddles the boundary (the tokenizer merged the context's end with the continuation's start) is counted as a
/// continuation token. The context must not be empty: the first token of a prompt has no log-probability.</para>
/// <para>Next-token top-k sends the context with <c>max_tokens: 1, logprobs: k, temperature: 0</c>. Generation sends
/// the prompt as raw text (no chat template): prefer <see cref="OpenAIChatLanguageModel"/> for generation with
/// instruction-tuned models and this model for scoring.</para>
/// <para>OpenAI's own completions endpoint refuses <c>echo</c> with <c>logprobs</c>: use this model with vLLM.</para>
/// <para>With <see cref="CompletionsScoringModelOptions.MaxPromptsPerRequest"/> above 1, concurrent calls with the same
/// settings travel together as one request with a list of prompts (vLLM computes them as one batch); a server's
/// requests-per-minute limit is then held by <see cref="CompletionsScoringModelOptions.RequestsPerMinute"/>, which
/// counts HTTP requests, rather than by a rate limit decorator above the model, which counts calls.</para>
/// <para>Requests go through a System.ClientModel pipeline over <see cref="HttpClient"/> with the JSON written by hand,
/// so that retries, timeouts and error messages are exactly those of <see cref="OpenAIChatLanguageModel"/>.
/// Thread-safe.</para>
/// </remarks>
public sealed class CompletionsScoringModel : ILanguageModel
{
    private readonly ClientPipeline _pipeline;
    private readonly Uri _completionsUri;
    private readonly string _model;
    private readonly CompletionsScoringModelOptions _options;
    private readonly ILogger _logger;
    private readonly CallTarget _target;
    private readonly RequestRateLimitPolicy? _rateLimit;
    private readonly PromptBatcher? _batcher;
    private readonly SemaphoreSlim? _requestsInFlight;

    /// <summary>Creates a model on a server's completions endpoint.</summary>
    /// <param name="baseUrl">The API base, usually ending in <c>/v1</c>, for example <c>http://127.0.0.1:8000/v1</c>; requests go to <c>{baseUrl}/completions</c>.</param>
    /// <param name="model">The model name the server knows.</param>
    /// <param name="apiKey">The server's key (sent as a bearer token), or <see langword="null"/> when it needs none.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives one debug line per call, retry warnings and failures; never keys or headers.</param>
    public CompletionsScoringModel(Uri baseUrl, string model, string? apiKey = null, CompletionsScoringModelOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Expected an absolute http or https URL, got '{EndpointText.Describe(baseUrl)}'.", nameof(baseUrl));
        }

        _options = options ?? new CompletionsScoringModelOptions();
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _model = model;
        _completionsUri = EndpointText.Combine(baseUrl, "completions");

        var clientOptions = new ClientPipelineOptions();
        HostedPipeline.Configure(clientOptions, _options, _logger);
        PipelinePolicy[] perCall = string.IsNullOrEmpty(apiKey)
            ? []
            : [ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(apiKey))];
        _rateLimit = _options.RequestsPerMinute is { } rpm ? new RequestRateLimitPolicy(rpm) : null;
        _pipeline = ClientPipeline.Create(clientOptions, perCall, _rateLimit is null ? [] : [_rateLimit], []);
        if (_options.MaxPromptsPerRequest > 1)
        {
            _requestsInFlight = new SemaphoreSlim(_options.MaxConcurrency);
            _batcher = new PromptBatcher(_options.MaxPromptsPerRequest, _options.BatchWindow, PostAsync, SendOneAsync, (operation, detail) => HostedErrors.Malformed(_target!, operation, detail));
        }

        var providerName = _options.ProviderName ?? "vllm";
        _target = new CallTarget(providerName, $"completions endpoint ({providerName})", EndpointText.Describe(_completionsUri), model,
            _options.MaxAttempts, _options.AttemptTimeout, new SecretRedactor(apiKey))
        {
            TotalTimeout = _options.TotalTimeout,
            Clock = _options.Retry.TimeProvider,
        };
        var capabilities = new LanguageModelCapabilities
        {
            Generation = true,
            SampledTokenLogProbabilities = true,
            NextTokenLogProbabilities = true,
            MaxTopLogProbabilities = _options.MaxTopLogProbabilities,
            ContinuationLogProbabilities = true,
            Deterministic = false,
            // With batching, enough calls must reach the model to fill its requests.
            DefaultMaxConcurrency = (int)Math.Min(int.MaxValue, (long)_options.MaxConcurrency * _options.MaxPromptsPerRequest),
            ContextLength = _options.ContextLength,
        };
        Metadata = new LanguageModelMetadata(providerName, model, capabilities) { Endpoint = EndpointText.Describe(baseUrl) };
    }

    /// <inheritdoc />
    public LanguageModelMetadata Metadata { get; }

    /// <inheritdoc />
    public LanguageModelCapabilities Capabilities => Metadata.Capabilities;

    /// <inheritdoc />
    public async Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(Metadata);

        var body = NewBody(request.Prompt, request.MaxTokens, request.Temperature);
        if (request.TopP is { } topP)
        {
            body["top_p"] = topP;
        }

        if (request.StopSequences.Count > 0)
        {
            body["stop"] = new JsonArray(request.StopSequences.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        }

        if (OpenAIChatLanguageModel.SeedFor(request) is { } seed)
        {
            body["seed"] = seed;
        }

        if (request.IncludeLogProbabilities)
        {
            body["logprobs"] = 1;
        }

        const LanguageModelOperation operation = LanguageModelOperation.Generation;
        var (choice, usage) = await SendAsync(body, operation, cancellationToken).ConfigureAwait(false);
        var text = choice.Text ?? string.Empty;
        IReadOnlyList<TokenLogProbability>? tokens = null;
        if (request.IncludeLogProbabilities)
        {
            var logProbabilities = choice.LogProbabilities;
            if (logProbabilities?.Tokens is not { } tokenTexts || logProbabilities.TokenLogProbabilities is not { } values || tokenTexts.Count != values.Count)
            {
                throw HostedErrors.Malformed(_target, operation, "log-probabilities were requested but 'logprobs.tokens' and 'logprobs.token_logprobs' are missing or of different lengths");
            }

            tokens = tokenTexts.Select((t, i) => new TokenLogProbability(ContinuationAligner.NormalizeToken(t), values[i] ?? double.NaN)).ToArray();
        }

        return new GenerationResponse(text, usage)
        {
            TokenLogProbabilities = tokens,
            FinishReason = choice.FinishReason switch
            {
                "stop" => FinishReason.Stop,
                "length" => FinishReason.Length,
                "content_filter" => FinishReason.ContentFilter,
                _ => FinishReason.Unknown,
            },
        };
    }

    /// <inheritdoc />
    public async Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(Metadata);
        var topK = Math.Min(request.TopK, _options.MaxTopLogProbabilities);
        var body = NewBody(request.Context, maxTokens: 1, temperature: 0);
        body["logprobs"] = topK;

        const LanguageModelOperation operation = LanguageModelOperation.NextTokenLogProbabilities;
        var (choice, usage) = await SendAsync(body, operation, cancellationToken).ConfigureAwait(false);
        if (choice.LogProbabilities?.TopLogProbabilities is not [{ Count: > 0 } first, ..])
        {
            throw HostedErrors.Malformed(_target, operation, "'logprobs.top_logprobs' is missing or empty for the generated token");
        }

        var top = first
            .Select(pair => new TokenLogProbability(ContinuationAligner.NormalizeToken(pair.Key), pair.Value))
            .OrderByDescending(t => t.LogProbability)
            .Take(topK)
            .ToArray();
        return new NextTokenResponse(top, usage);
    }

    /// <inheritdoc />
    public async Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(Metadata);
        if (request.Context.Length == 0)
        {
            throw new ArgumentException(
                "ContinuationRequest.Context must not be empty: the first token of a prompt has no log-probability.", nameof(request));
        }

        if (request.Continuation.Length == 0)
        {
            return new ContinuationResponse([], LanguageModelUsage.Zero);
        }

        var body = NewBody(request.Context + request.Continuation, _options.EchoMaxTokens, temperature: 0);
        var usePromptLogProbabilities = _options.ScoringMode == ContinuationScoringMode.PromptLogProbabilities;
        if (usePromptLogProbabilities)
        {
            // 1 rather than 0: some servers treat 0 as "off". With 1 each entry holds the prompt token and possibly the
            // top-1 alternative; the prompt token is the one with the larger rank.
            body["prompt_logprobs"] = 1;
            body["max_tokens"] = Math.Max(1, _options.EchoMaxTokens);
        }
        else
        {
            body["echo"] = true;
            body["logprobs"] = 1;
        }

        const LanguageModelOperation operation = LanguageModelOperation.ContinuationLogProbabilities;
        var (choice, usage, reportedUsage) = await SendRawAsync(body, operation, cancellationToken).ConfigureAwait(false);
        var promptTokens = usePromptLogProbabilities
            ? ReadPromptLogProbabilities(choice, operation)
            : ReadEchoedPromptTokens(choice, reportedUsage, operation);

        var texts = promptTokens.Select(t => t.Token).ToArray();
        var first = ContinuationAligner.FindFirstContinuationToken(texts, request.Context, request.Continuation);
        if (first < 0 || first >= promptTokens.Count)
        {
            throw HostedErrors.Malformed(_target, operation,
                $"the {promptTokens.Count} prompt tokens returned do not spell the context followed by the continuation, so the continuation's tokens cannot be found");
        }

        var scored = new TokenLogProbability[promptTokens.Count - first];
        for (var i = first; i < promptTokens.Count; i++)
        {
            if (promptTokens[i].LogProbability is not { } value)
            {
                throw HostedErrors.Malformed(_target, operation,
                    $"prompt token {i} ('{promptTokens[i].Token}') of the continuation has no log-probability; give a longer context");
            }

            scored[i - first] = new TokenLogProbability(promptTokens[i].Token, value);
        }

        return new ContinuationResponse(scored, usage);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Releases the request limits; a caller's <see cref="HttpClient"/> stays the caller's and the shared one is never disposed.</summary>
    public void Dispose()
    {
        _rateLimit?.Dispose();
        _requestsInFlight?.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => Metadata.ToString();

    private JsonObject NewBody(string prompt, int maxTokens, double temperature) => new()
    {
        ["model"] = _model,
        ["prompt"] = prompt,
        ["max_tokens"] = maxTokens,
        ["temperature"] = temperature,
    };

    private async Task<(CompletionsChoice Choice, LanguageModelUsage Usage)> SendAsync(JsonObject body, LanguageModelOperation operation, CancellationToken cancellationToken)
    {
        var (choice, usage, _) = await SendRawAsync(body, operation, cancellationToken).ConfigureAwait(false);
        return (choice, usage);
    }

    private async Task<(CompletionsChoice Choice, LanguageModelUsage Usage, CompletionsUsage? ReportedUsage)> SendRawAsync(JsonObject body, LanguageModelOperation operation, CancellationToken cancellationToken)
    {
        var answer = _batcher is null
            ? await SendOneAsync(body, operation, cancellationToken).ConfigureAwait(false)
            : await _batcher.SendAsync(body, operation, cancellationToken).ConfigureAwait(false);
        return (answer.Choice, answer.Usage, answer.ReportedUsage);
    }

    /// <summary>One call in one request.</summary>
    private async Task<PromptBatcher.Answer> SendOneAsync(JsonObject body, LanguageModelOperation operation, CancellationToken cancellationToken)
    {
        var parsed = await PostAsync(body, operation, 1, cancellationToken).ConfigureAwait(false);
        if (parsed.Choices is not [var choice, ..])
        {
            throw HostedErrors.Malformed(_target, operation, "the response has no 'choices'");
        }

        var usage = parsed.Usage is { } u ? new LanguageModelUsage(u.PromptTokens, u.CompletionTokens) : LanguageModelUsage.Zero;
        return new PromptBatcher.Answer(choice, usage, parsed.Usage);
    }

    /// <summary>Sends one HTTP request (of <paramref name="prompts"/> prompts) and parses the response; errors become <see cref="LanguageModelException"/>.</summary>
    private async Task<CompletionsResponse> PostAsync(JsonObject body, LanguageModelOperation operation, int prompts, CancellationToken cancellationToken)
    {
        if (_requestsInFlight is not null)
        {
            await _requestsInFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await PostCoreAsync(body, operation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _requestsInFlight?.Release();
        }
    }

    private async Task<CompletionsResponse> PostCoreAsync(JsonObject body, LanguageModelOperation operation, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using var message = _pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = _completionsUri;
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Headers.Set("Accept", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
        using var deadline = new CallDeadline(_target, cancellationToken);
        message.Apply(new RequestOptions { CancellationToken = deadline.Token });

        var logProbabilitiesRequested = body.ContainsKey("logprobs") || body.ContainsKey("prompt_logprobs");
        PipelineResponse response;
        try
        {
            await _pipeline.SendAsync(message).ConfigureAwait(false);
            response = message.Response ?? throw new InvalidOperationException("The pipeline returned no response.");
            if (response.IsError)
            {
                throw HostedErrors.FromStatus(_target, operation, response.Status, HostedErrors.TryReadBody(response), logProbabilitiesRequested);
            }
        }
        catch (OperationCanceledException exception) when (deadline.HasExpired)
        {
            var timedOut = HostedErrors.TotalTimeout(_target, operation, exception);
            Log.CallFailed(_logger, HostedErrors.Describe(operation), _target.Endpoint, _target.ModelId, timedOut.Kind, timedOut.StatusCode);
            throw timedOut;
        }
        catch (Exception exception) when ((exception as LanguageModelException ??
            HostedErrors.Translate(_target, exception, operation, logProbabilitiesRequested, cancellationToken)) is { } failure)
        {
            Log.CallFailed(_logger, HostedErrors.Describe(operation), _target.Endpoint, _target.ModelId, failure.Kind, failure.StatusCode);
            throw failure;
        }

        CompletionsResponse? parsed;
        try
        {
            parsed = response.Content.ToObjectFromJson<CompletionsResponse>(CompletionsResponse.SerializerOptions);
        }
        catch (JsonException exception)
        {
            var failure = HostedErrors.Malformed(_target, operation, $"the body is not valid completions JSON ({exception.Message})", exception);
            Log.CallFailed(_logger, HostedErrors.Describe(operation), _target.Endpoint, _target.ModelId, failure.Kind, response.Status);
            throw failure;
        }

        if (parsed is null)
        {
            throw HostedErrors.Malformed(_target, operation, "the response has no 'choices'");
        }

        Log.CallCompleted(_logger, HostedErrors.Describe(operation), _target.Endpoint, _target.ModelId, stopwatch.ElapsedMilliseconds, parsed.Usage?.PromptTokens ?? 0, parsed.Usage?.CompletionTokens ?? 0);
        return parsed;
    }

    private List<(string Token, double? LogProbability)> ReadEchoedPromptTokens(CompletionsChoice choice, CompletionsUsage? usage, LanguageModelOperation operation)
    {
        if (choice.LogProbabilities is not { Tokens: { } tokens, TokenLogProbabilities: { } values } || tokens.Count != values.Count)
        {
            throw HostedErrors.Malformed(_target, operation,
                "'logprobs.tokens' and 'logprobs.token_logprobs' are missing or of different lengths (does the server support echo with logprobs? " +
                "For vLLM try ContinuationScoringMode.PromptLogProbabilities)");
        }

        // With echo the tokens are the prompt's followed by the generated ones. The generated count is unambiguous
        // (servers may count a BOS token in prompt_tokens without echoing it), so the prompt is what precedes them.
        var generated = usage?.CompletionTokens ?? _options.EchoMaxTokens;
        var promptCount = tokens.Count - (int)Math.Clamp(generated, 0, tokens.Count);
        var result = new List<(string, double?)>(promptCount);
        for (var i = 0; i < promptCount; i++)
        {
            result.Add((ContinuationAligner.NormalizeToken(tokens[i]), values[i]));
        }

        return result;
    }

    private List<(string Token, double? LogProbability)> ReadPromptLogProbabilities(CompletionsChoice choice, LanguageModelOperation operation)
    {
        if (choice.PromptLogProbabilities is not { Count: > 0 } entries)
        {
            throw HostedErrors.Malformed(_target, operation, "'prompt_logprobs' is missing (the server may not be vLLM; use ContinuationScoringMode.Echo)");
        }

        var result = new List<(string, double?)>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry is null || entry.Count == 0)
            {
                // The first prompt token has nothing to condition on; its text is unknown but it belongs to the context.
                result.Add((string.Empty, null));
                continue;
            }

            var token = entry.Values.MaxBy(e => e.Rank ?? 0)!;
            if (token.DecodedToken is null)
            {
                throw HostedErrors.Malformed(_target, operation, "'prompt_logprobs' entries lack 'decoded_token' (is detokenization disabled on the server?)");
            }

            result.Add((ContinuationAligner.NormalizeToken(token.DecodedToken), token.LogProbability));
        }

        return result;
    }
}
