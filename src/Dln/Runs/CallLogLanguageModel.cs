namespace DeepLanguageNetworks;

/// <summary>A decorator of the run's pipeline that writes every request to the run folder's calls.jsonl.</summary>
internal sealed class CallLogLanguageModel(ILanguageModel innerModel, CallLog log, TimeProvider? timeProvider = null) : DelegatingLanguageModel(innerModel)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public override Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(
            TelemetryNames.TextCompletion,
            request.Purpose,
            ct => InnerModel.GenerateAsync(request, ct),
            (entry, r) => entry with
            {
                InputTokens = r.Usage.InputTokens,
                OutputTokens = r.Usage.OutputTokens,
                FromCache = r.FromCache,
                Response = log.IncludeText ? r.Text : null,
            },
            entry => entry with { Temperature = request.Temperature, SampleIndex = request.SampleIndex, Prompt = log.IncludeText ? request.Prompt : null },
            cancellationToken);
    }

    public override Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(
            TelemetryNames.NextTokenLogProbabilities,
            request.Purpose,
            ct => InnerModel.GetNextTokenLogProbabilitiesAsync(request, ct),
            (entry, r) => entry with
            {
                InputTokens = r.Usage.InputTokens,
                OutputTokens = r.Usage.OutputTokens,
                FromCache = r.FromCache,
                Response = log.IncludeText ? string.Join(" | ", r.TopTokens.Select(t => FormattableString.Invariant($"{t.Token} {t.LogProbability:0.###}"))) : null,
            },
            entry => entry with { Prompt = log.IncludeText ? request.Context : null },
            cancellationToken);
    }

    public override Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(
            TelemetryNames.ScoreContinuation,
            request.Purpose,
            ct => InnerModel.ScoreContinuationAsync(request, ct),
            (entry, r) => entry with
            {
                InputTokens = r.Usage.InputTokens,
                OutputTokens = r.Usage.OutputTokens,
                FromCache = r.FromCache,
                Response = log.IncludeText ? FormattableString.Invariant($"sum {r.Sum:0.###} over {r.Tokens.Count} tokens") : null,
            },
            entry => entry with { Prompt = log.IncludeText ? request.Context : null, Continuation = log.IncludeText ? request.Continuation : null },
            cancellationToken);
    }

    private async Task<T> RunAsync<T>(
        string operation,
        CallPurpose purpose,
        Func<CancellationToken, Task<T>> call,
        Func<CallLogEntry, T, CallLogEntry> describeResponse,
        Func<CallLogEntry, CallLogEntry> describeRequest,
        CancellationToken cancellationToken)
    {
        var metadata = InnerModel.Metadata;
        var time = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        CallLogEntry Entry() => describeRequest(new CallLogEntry
        {
            Time = time,
            Operation = operation,
            Role = purpose.Role,
            Layer = purpose.Layer,
            Provider = metadata.ProviderName,
            Model = metadata.ModelId,
            LatencyMs = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 3),
        });

        try
        {
            var response = await call(cancellationToken).ConfigureAwait(false);
            log.Write(describeResponse(Entry(), response));
            return response;
        }
        catch (Exception ex)
        {
            log.Write(Entry() with { Error = ex.GetType().Name });
            throw;
        }
    }
}
