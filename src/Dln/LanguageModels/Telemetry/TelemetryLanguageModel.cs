using System.Diagnostics;

namespace DeepLanguageNetworks;

/// <summary>
/// A decorator that traces each call as an OpenTelemetry client span and records the library's call metrics on
/// <see cref="Telemetry.Meter"/>, after OpenTelemetry's semantic conventions for GenAI clients (names and attributes
/// are listed on <see cref="Telemetry"/>). Thread-safe.
/// </summary>
/// <remarks>
/// <para>Only the model's metadata, request settings, token counts, latency and outcome are recorded: never prompt or
/// response texts, and never credentials (metadata holds none).</para>
/// <para>Place it outermost (<see cref="LanguageModelBuilderExtensions.UseTelemetry"/>) so that cache hits are seen and
/// counted as such, and a retried call is one span. While no listener is attached it costs a few checks per call.</para>
/// </remarks>
internal sealed class TelemetryLanguageModel : DelegatingLanguageModel
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Wraps <paramref name="innerModel"/>.</summary>
    /// <param name="innerModel">The model whose calls are traced and measured.</param>
    /// <param name="timeProvider">The clock that measures durations; <see cref="TimeProvider.System"/> by default.</param>
    public TelemetryLanguageModel(ILanguageModel innerModel, TimeProvider? timeProvider = null)
        : base(innerModel)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    // Without a listener the call goes straight through: no span, no tags, no extra async state machine.
    private static bool IsObserved => Telemetry.ActivitySource.HasListeners() || TelemetryInstruments.AnyEnabled;

    /// <inheritdoc />
    protected override Task<TResponse> InvokeAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken) =>
        IsObserved ? ObserveAsync(request, next, cancellationToken) : next(request, cancellationToken);

    private static void DescribeRequest(Activity activity, LanguageModelRequest request)
    {
        switch (request)
        {
            case GenerationRequest generation:
                activity.SetTag(TelemetryNames.RequestTemperature, generation.Temperature);
                activity.SetTag(TelemetryNames.RequestMaxTokens, generation.MaxTokens);
                if (generation.TopP is { } topP)
                {
                    activity.SetTag(TelemetryNames.RequestTopP, topP);
                }

                if (generation.Seed is { } seed)
                {
                    activity.SetTag(TelemetryNames.RequestSeed, seed);
                }

                break;
            case NextTokenRequest nextToken:
                activity.SetTag(TelemetryNames.RequestTopK, nextToken.TopK);
                break;
        }
    }

    private async Task<TResponse> ObserveAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
        where TResponse : LanguageModelResponse
    {
        var operation = CallText.TelemetryName(request.Operation);
        var purpose = request.Purpose;
        var metadata = InnerModel.Metadata;
        using var activity = Telemetry.ActivitySource.StartActivity($"{operation} {metadata.ModelId}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryNames.OperationName, operation);
            activity.SetTag(TelemetryNames.ProviderName, metadata.ProviderName);
            activity.SetTag(TelemetryNames.RequestModel, metadata.ModelId);
            activity.SetTag(TelemetryNames.CallRole, RoleName(purpose.Role));
            if (purpose.Layer is { } layer)
            {
                activity.SetTag(TelemetryNames.CallLayer, layer);
            }

            if (Uri.TryCreate(metadata.Endpoint, UriKind.Absolute, out var endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps))
            {
                activity.SetTag(TelemetryNames.ServerAddress, endpoint.Host);
                activity.SetTag(TelemetryNames.ServerPort, endpoint.Port);
            }

            DescribeRequest(activity, request);
        }

        var started = _timeProvider.GetTimestamp();
        try
        {
            var response = await next(request, cancellationToken).ConfigureAwait(false);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(TelemetryNames.UsageInputTokens, response.Usage.InputTokens);
                activity.SetTag(TelemetryNames.UsageOutputTokens, response.Usage.OutputTokens);
                activity.SetTag(TelemetryNames.CacheHit, response.FromCache);
                if (response is GenerationResponse generation)
                {
                    activity.SetTag(TelemetryNames.ResponseFinishReasons, new[] { FinishReasonName(generation.FinishReason) });
                }
            }

            Record(operation, purpose, metadata, _timeProvider.GetElapsedTime(started), response.Usage, response.FromCache, errorType: null);
            return response;
        }
        catch (Exception ex)
        {
            // The exception's type, not its message: messages of backend errors may quote request content.
            var errorType = ex.GetType().FullName ?? ex.GetType().Name;
            if (activity is not null)
            {
                activity.SetTag(TelemetryNames.ErrorType, errorType);
                activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            }

            Record(operation, purpose, metadata, _timeProvider.GetElapsedTime(started), default, fromCache: false, errorType);
            throw;
        }
    }

    private static void Record(string operation, CallPurpose purpose, LanguageModelMetadata metadata, TimeSpan elapsed, LanguageModelUsage usage, bool fromCache, string? errorType)
    {
        if (!TelemetryInstruments.AnyEnabled)
        {
            return;
        }

        var tags = new TagList
        {
            { TelemetryNames.OperationName, operation },
            { TelemetryNames.ProviderName, metadata.ProviderName },
            { TelemetryNames.RequestModel, metadata.ModelId },
            { TelemetryNames.CallRole, RoleName(purpose.Role) },
        };
        if (errorType is not null)
        {
            tags.Add(TelemetryNames.ErrorType, errorType);
        }

        TelemetryInstruments.OperationDuration.Record(elapsed.TotalSeconds, tags);
        if (fromCache)
        {
            TelemetryInstruments.CacheHits.Add(1, tags);
        }

        tags.Add(TelemetryNames.CacheHit, fromCache);
        TelemetryInstruments.Calls.Add(1, tags);
        if (errorType is null && !fromCache)
        {
            var tokenTags = new TagList
            {
                { TelemetryNames.OperationName, operation },
                { TelemetryNames.ProviderName, metadata.ProviderName },
                { TelemetryNames.RequestModel, metadata.ModelId },
                { TelemetryNames.CallRole, RoleName(purpose.Role) },
                { TelemetryNames.TokenType, "input" },
            };
            TelemetryInstruments.TokenUsage.Record(usage.InputTokens, tokenTags);
            tokenTags[4] = new KeyValuePair<string, object?>(TelemetryNames.TokenType, "output");
            TelemetryInstruments.TokenUsage.Record(usage.OutputTokens, tokenTags);
        }
    }

    // Lower-case names, as the conventions use for enumerated values; fixed strings avoid an allocation per call.
    private static string RoleName(CallRole role) => role switch
    {
        CallRole.Forward => "forward",
        CallRole.Backward => "backward",
        CallRole.Scoring => "scoring",
        CallRole.Evaluation => "evaluation",
        CallRole.Inference => "inference",
        CallRole.Judge => "judge",
        _ => "unspecified",
    };

    private static string FinishReasonName(FinishReason reason) => reason switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        FinishReason.ContentFilter => "content_filter",
        _ => "unknown",
    };
}
