namespace DeepLanguageNetworks;

/// <summary>A decorator of the run's pipeline that writes every request to the run folder's calls.jsonl.</summary>
internal sealed class CallLogLanguageModel(ILanguageModel innerModel, CallLog log, TimeProvider? timeProvider = null) : DelegatingLanguageModel(innerModel)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    protected override async Task<TResponse> InvokeAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
    {
        var metadata = InnerModel.Metadata;
        var time = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        var generation = request as GenerationRequest;
        CallLogEntry Entry() => new()
        {
            Time = time,
            Operation = CallText.TelemetryName(request.Operation),
            Role = request.Purpose.Role,
            Layer = request.Purpose.Layer,
            Provider = metadata.ProviderName,
            Model = metadata.ModelId,
            LatencyMs = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 3),
            Temperature = generation?.Temperature,
            SampleIndex = generation?.SampleIndex,
            Prompt = log.IncludeText ? CallText.Prompt(request) : null,
            Continuation = log.IncludeText ? CallText.Continuation(request) : null,
        };

        try
        {
            var response = await next(request, cancellationToken).ConfigureAwait(false);
            log.Write(Entry() with
            {
                InputTokens = response.Usage.InputTokens,
                OutputTokens = response.Usage.OutputTokens,
                FromCache = response.FromCache,
                Response = log.IncludeText ? CallText.Response(response) : null,
            });
            return response;
        }
        catch (Exception ex)
        {
            log.Write(Entry() with { Error = ex.GetType().Name });
            throw;
        }
    }
}
