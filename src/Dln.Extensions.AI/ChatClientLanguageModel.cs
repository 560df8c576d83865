using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AIChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using OpenAIChatClient = OpenAI.Chat.ChatClient;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>
/// Adapts any Microsoft.Extensions.AI <see cref="IChatClient"/> (OpenAI, Azure OpenAI, Ollama, a middleware
/// pipeline...) to <see cref="ILanguageModel"/>. Generation always works; log-probabilities work when an OpenAI
/// <c>ChatClient</c> sits underneath.
/// </summary>
/// <remarks>
/// <para>Every prompt is sent as one user message. <see cref="ChatOptions"/> is filled from the request: temperature,
/// top-p, maximum output tokens, stop sequences, seed (the request's, or the sample index for the second and later
/// samples, so that K samples are K distinct requests).</para>
/// <para>Microsoft.Extensions.AI has no log-probability options. When log-probabilities are enabled (see
/// <see cref="ChatClientLanguageModelOptions.LogProbabilities"/>), requests carry
/// <see cref="ChatOptions.RawRepresentationFactory"/> returning OpenAI <see cref="ChatCompletionOptions"/> with
/// <c>IncludeLogProbabilities</c> and <c>TopLogProbabilityCount</c>, and the values are read from
/// <see cref="ChatResponse.RawRepresentation"/> as an OpenAI <see cref="ChatCompletion"/>, or, when middleware rebuilt
/// the response, from what <see cref="LogProbabilityCapturingChatClient"/> kept in its additional properties.
/// Middleware that rebuilds responses (Microsoft.Extensions.AI's distributed cache, for one) drops
/// <c>RawRepresentation</c>; add <c>.UseLogProbabilityCapture()</c> below it. A pipeline with a Microsoft.Extensions.AI
/// cache (<c>CachingChatClient</c>) and no capture below it is refused at the first log-probability request, before
/// anything is sent, with a <see cref="LanguageModelException"/> of kind
/// <see cref="LanguageModelErrorKind.LogProbabilitiesNotSupported"/> that says what to add where; a response without
/// log-probabilities from any other middleware fails the same way. Generation alone (accuracy scoring) works through
/// any pipeline.</para>
/// <para>Failures of the chat client that the adapter recognises (an OpenAI client's HTTP errors, timeouts, network
/// errors) are rethrown as <see cref="LanguageModelException"/> with the original as inner exception; other exception
/// types pass unchanged.</para>
/// <para>Chat APIs cannot score a given text: <see cref="LanguageModelCapabilities.ContinuationLogProbabilities"/> is
/// false. Retries, timeouts and authentication are the chat client's own (for an OpenAI client built with Dln's policy,
/// see <c>OpenAIChatLanguageModel.ConfigureClientOptions</c> in Dln.OpenAI). <see cref="Dispose"/> does not dispose the
/// chat client, which stays the caller's. Thread-safe when the chat client is.</para>
/// </remarks>
public sealed class ChatClientLanguageModel : ILanguageModel
{
    private readonly ChatClientLanguageModelOptions _options;
    private readonly bool _logProbabilities;
    private readonly bool _capture;
    private readonly CachingChatClient? _unprotectedCache;

    /// <summary>Wraps <paramref name="chatClient"/>.</summary>
    /// <param name="chatClient">The chat client.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    public ChatClientLanguageModel(IChatClient chatClient, ChatClientLanguageModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        InnerClient = chatClient;
        _options = options ?? new ChatClientLanguageModelOptions();
        _options.Validate();
        _logProbabilities = _options.LogProbabilities ?? chatClient.GetService(typeof(OpenAIChatClient)) is not null;

        // GetService walks the pipeline from the outside in: a cache found from the top, asked in turn, finds only what
        // is below it, where the capture must be.
        _capture = chatClient.GetService(typeof(LogProbabilityCapturingChatClient)) is not null;
        _unprotectedCache = chatClient.GetService(typeof(CachingChatClient)) is CachingChatClient cache &&
            cache.GetService(typeof(LogProbabilityCapturingChatClient)) is null
            ? cache
            : null;

        var clientMetadata = chatClient.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        var capabilities = new LanguageModelCapabilities
        {
            Generation = true,
            SampledTokenLogProbabilities = _logProbabilities,
            NextTokenLogProbabilities = _logProbabilities,
            MaxTopLogProbabilities = _logProbabilities ? _options.MaxTopLogProbabilities : 0,
            ContinuationLogProbabilities = false,
            Deterministic = false,
            DefaultMaxConcurrency = _options.MaxConcurrency,
            ContextLength = _options.ContextLength,
        };
        var endpoint = clientMetadata?.ProviderUri is { IsAbsoluteUri: true } uri
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped)
            : null;
        Metadata = new LanguageModelMetadata(
            _options.ProviderName ?? clientMetadata?.ProviderName ?? "microsoft-extensions-ai",
            _options.ModelId ?? clientMetadata?.DefaultModelId ?? "default",
            capabilities)
        {
            Endpoint = endpoint,
        };
    }

    /// <summary>The wrapped chat client.</summary>
    public IChatClient InnerClient { get; }

    /// <inheritdoc />
    public LanguageModelMetadata Metadata { get; }

    /// <inheritdoc />
    public LanguageModelCapabilities Capabilities => Metadata.Capabilities;

    /// <inheritdoc />
    public async Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(Metadata);
        var options = new ChatOptions
        {
            ModelId = _options.ModelId,
            Temperature = (float)request.Temperature,
            TopP = request.TopP is { } topP ? (float)topP : null,
            MaxOutputTokens = request.MaxTokens,
            Seed = request.Seed ?? (request.SampleIndex > 0 ? request.SampleIndex : null),
        };
        if (request.StopSequences.Count > 0)
        {
            options.StopSequences = [.. request.StopSequences];
        }

        var (response, details) = await SendAsync(request.Prompt, options, LanguageModelOperation.Generation, request.IncludeLogProbabilities, topLogProbabilities: null,
            cancellationToken).ConfigureAwait(false);
        return new GenerationResponse(response.Text, ReadUsage(response))
        {
            TokenLogProbabilities = details?.Select(d => new TokenLogProbability(d.Token, d.LogProbability)).ToArray(),
            FinishReason = MapFinishReason(response.FinishReason),
        };
    }

    /// <inheritdoc />
    public async Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(Metadata);
        var topK = Math.Min(request.TopK, _options.MaxTopLogProbabilities);
        var options = new ChatOptions { ModelId = _options.ModelId, Temperature = 0f, MaxOutputTokens = 1 };
        var (response, details) = await SendAsync(request.Context, options, LanguageModelOperation.NextTokenLogProbabilities, logProbabilities: true, topK,
            cancellationToken).ConfigureAwait(false);
        if (details is not [{ Top.Count: > 0 } first, ..])
        {
            throw MissingLogProbabilities(response);
        }

        var top = first.Top
            .Select(t => new TokenLogProbability(t.Token, t.LogProbability))
            .OrderByDescending(t => t.LogProbability)
            .Take(topK)
            .ToArray();
        return new NextTokenResponse(top, ReadUsage(response));
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: chat clients cannot score a given text.</exception>
    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(Metadata);
        throw new UnreachableException("Chat client adapters never advertise continuation scoring.");
    }

    /// <summary>Returns this model, or asks the chat client (so that <c>GetService&lt;ChatClientMetadata&gt;()</c> and the OpenAI client are reachable).</summary>
    /// <param name="serviceType">The type requested.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service or <see langword="null"/>.</returns>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerClient.GetService(serviceType, serviceKey);
    }

    /// <summary>Does nothing: the chat client belongs to the caller.</summary>
    public void Dispose()
    {
    }

    /// <inheritdoc />
    public override string ToString() => Metadata.ToString();

    // The one way a request reaches the chat client: generation and next-token scoring differ only in the options.
    private async Task<(ChatResponse Response, IReadOnlyList<CapturedToken>? LogProbabilities)> SendAsync(
        string prompt, ChatOptions options, LanguageModelOperation operation, bool logProbabilities, int? topLogProbabilities, CancellationToken cancellationToken)
    {
        if (logProbabilities && _unprotectedCache is { } cache)
        {
            throw UnprotectedCache(cache);
        }

        SetOpenAIOptions(options, options.MaxOutputTokens ?? 1, logProbabilities, topLogProbabilities);
        if (logProbabilities && _capture)
        {
            // Part of a cache's key (which ignores RawRepresentationFactory); the capture removes it before the client.
            (options.AdditionalProperties ??= [])[LogProbabilityCapturingChatClient.PropertyName] = topLogProbabilities ?? 0;
        }

        ChatResponse response;
        try
        {
            response = await InnerClient.GetResponseAsync([new AIChatMessage(ChatRole.User, prompt)], options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Translate(exception, operation, cancellationToken) is { } translated)
        {
            throw translated;
        }

        if (!logProbabilities)
        {
            return (response, null);
        }

        // Generation may legitimately return no tokens (an empty answer); next-token scoring needs the first one.
        IReadOnlyList<CapturedToken>? details = response.RawRepresentation is ChatCompletion completion
            ? CapturedLogProbabilities.FromCompletion(completion.ContentTokenLogProbabilities)
            : CapturedLogProbabilities.TryRead(response.AdditionalProperties?.GetValueOrDefault(LogProbabilityCapturingChatClient.PropertyName));
        var required = operation == LanguageModelOperation.NextTokenLogProbabilities || response.Text.Length > 0;
        return details is null || (required && details.Count == 0) ? throw MissingLogProbabilities(response) : (response, details);
    }

    private void SetOpenAIOptions(ChatOptions options, int maxTokens, bool includeLogProbabilities, int? topLogProbabilities)
    {
        if (!_logProbabilities && !_options.SendLegacyMaxTokens)
        {
            return;
        }

        // Microsoft.Extensions.AI's OpenAI adapter starts from these options and fills in the ChatOptions values; other
        // clients ignore a factory result that is not theirs.
        var sendLegacyMaxTokens = _options.SendLegacyMaxTokens;
        options.RawRepresentationFactory = _ =>
        {
            var openAIOptions = new ChatCompletionOptions();
            if (includeLogProbabilities)
            {
                openAIOptions.IncludeLogProbabilities = true;
                openAIOptions.TopLogProbabilityCount = topLogProbabilities;
            }

            if (sendLegacyMaxTokens)
            {
#pragma warning disable SCME0001 // Patch is marked experimental; it is the OpenAI library's way to send fields it does not model.
                openAIOptions.Patch.Set("$.max_tokens"u8, maxTokens);
#pragma warning restore SCME0001
            }

            return openAIOptions;
        };
    }

    // Failures the adapter can classify become the library's one error; others (a client's own exception types) pass
    // unchanged. The chat client's message is not quoted: it may echo part of a key the adapter cannot redact.
    private LanguageModelException? Translate(Exception exception, LanguageModelOperation operation, CancellationToken cancellationToken)
    {
        var (kind, status) = exception switch
        {
            LanguageModelException => (null, null),
            OperationCanceledException when cancellationToken.IsCancellationRequested => (null, null),
            OperationCanceledException or TimeoutException => (LanguageModelErrorKind.Timeout, null),
            HttpRequestException or ClientResultException { Status: 0 } => (LanguageModelErrorKind.Network, null),
            // Classified by the client's message (it quotes the provider's), which is not kept: it may echo a key.
            ClientResultException failure => (LanguageModelException.KindForHttpStatus(failure.Status, providerMessage: failure.Message), failure.Status),
            _ => ((LanguageModelErrorKind?)null, (int?)null),
        };
        if (kind is null)
        {
            return null;
        }

        var what = status is { } code ? $"returned HTTP {code}" : kind == LanguageModelErrorKind.Timeout ? "did not answer in time" : "could not reach its server";
        return new LanguageModelException(
            $"{operation} failed: the chat client behind '{Metadata}' {what} ({exception.GetType().Name}; see the inner exception). " +
            "Retries, timeouts and authentication are the chat client's own.", exception)
        {
            Kind = kind.Value,

            // An OpenAI client has already retried its own transient statuses; network failures and timeouts stay transient.
            IsTransient = status is null && kind != LanguageModelErrorKind.Unknown,
            Operation = operation,
            ProviderName = Metadata.ProviderName,
            ModelId = Metadata.ModelId,
            Endpoint = Metadata.Endpoint,
            StatusCode = status,
        };
    }

    private LanguageModelException MissingLogProbabilities(ChatResponse response) => LogProbabilitiesError(
        $"The chat client behind '{Metadata}' returned no log-probabilities (its response's RawRepresentation is " +
        $"{response.RawRepresentation?.GetType().FullName ?? "null"}, and its AdditionalProperties have no \"{LogProbabilityCapturingChatClient.PropertyName}\"). " +
        "They pass through Microsoft.Extensions.AI only when the innermost client is OpenAI's ChatClient (ChatClient.AsIChatClient()) and the model " +
        "accepts logprobs (reasoning models do not); middleware that rebuilds responses (UseDistributedCache, for one) drops them unless " +
        ".UseLogProbabilityCapture() sits below it (after it in the ChatClientBuilder). Otherwise set ChatClientLanguageModelOptions.LogProbabilities = false " +
        "and use accuracy scoring (OutputScoring.Accuracy) with a one-layer network.");

    private LanguageModelException UnprotectedCache(CachingChatClient cache) => LogProbabilitiesError(
        $"The chat client pipeline behind '{Metadata}' has a {cache.GetType().Name} (UseDistributedCache) with no UseLogProbabilityCapture below it: " +
        "a cached answer comes back without its RawRepresentation, so without the log-probabilities Dln scores with. Add .UseLogProbabilityCapture() " +
        "right after .UseDistributedCache(...) in the ChatClientBuilder (below the cache, so that it keeps them before the answer is stored), " +
        "e.g. chatClient.AsBuilder().UseLogging().UseDistributedCache(cache).UseLogProbabilityCapture().Build(). " +
        "Or train without log-probabilities: OutputScoring.Accuracy with a one-layer network (ChatClientLanguageModelOptions.LogProbabilities = false to say so). Nothing was sent.");

    private LanguageModelException LogProbabilitiesError(string message) => new(message)
    {
        Kind = LanguageModelErrorKind.LogProbabilitiesNotSupported,
        ProviderName = Metadata.ProviderName,
        ModelId = Metadata.ModelId,
        Endpoint = Metadata.Endpoint,
    };

    private static LanguageModelUsage ReadUsage(ChatResponse response) =>
        response.Usage is { } usage ? new LanguageModelUsage(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0) : LanguageModelUsage.Zero;

    private static FinishReason MapFinishReason(AIChatFinishReason? reason) =>
        reason == AIChatFinishReason.Stop ? FinishReason.Stop
        : reason == AIChatFinishReason.Length ? FinishReason.Length
        : reason == AIChatFinishReason.ContentFilter ? FinishReason.ContentFilter
        : FinishReason.Unknown;
}
