namespace DeepLanguageNetworks;

/// <summary>
/// A decorator of the run's pipeline that writes every request to the run folder's calls.jsonl. It sits above the
/// concurrency limit (so it sees cache hits and every caller), yet logs the backend's latency: the limit reports how long
/// the call waited for a slot (<see cref="CallTiming"/>), which is logged apart as the queue time.
/// </summary>
internal sealed class CallLogLanguageModel(ILanguageModel innerModel, CallLog log, TimeProvider? timeProvider = null) : DelegatingLanguageModel(innerModel)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    protected override async Task<TResponse> InvokeAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
    {
        var metadata = InnerModel.Metadata;
        var timing = CallTiming.Begin();
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
            LatencyMs = Math.Round((timing.Measured ? timing.Backend : _time.GetElapsedTime(started)).TotalMilliseconds, 3),
            QueueMs = timing.Measured ? Math.Round(timing.Queued.TotalMilliseconds, 3) : null,
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
