using System.Collections.Concurrent;

namespace DeepLanguageNetworks.Tests;

/// <summary>
/// A deterministic in-process language model for decorator tests: it counts calls, tracks the peak number of calls in
/// flight, can hold calls until the test releases them (no sleeps), and can fail on chosen calls.
/// </summary>
/// <remarks>
/// Responses are a pure function of the request (plus, optionally, the call number), so tests can tell exactly which
/// request a response belongs to.
/// </remarks>
internal sealed class CountingLanguageModel : ILanguageModel
{
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _startWaiters = [];
    private int _started;
    private int _completed;
    private int _inFlight;
    private int _peakInFlight;

    public CountingLanguageModel(string modelId = "fake-model", int defaultMaxConcurrency = 16, string provider = "fake", string? endpoint = null)
    {
        Metadata = new LanguageModelMetadata(provider, modelId, new LanguageModelCapabilities
        {
            SampledTokenLogProbabilities = true,
            NextTokenLogProbabilities = true,
            MaxTopLogProbabilities = 20,
            ContinuationLogProbabilities = true,
            Deterministic = true,
            DefaultMaxConcurrency = defaultMaxConcurrency,
        })
        { Endpoint = endpoint };
    }

    public LanguageModelMetadata Metadata { get; }

    /// <summary>When set, every call waits for one release of this semaphore after it has started.</summary>
    public SemaphoreSlim? Hold { get; set; }

    /// <summary>When set, called with the 1-based call number before responding; a returned exception is thrown.</summary>
    public Func<int, Exception?>? FailOn { get; set; }

    /// <summary>Adds the call number to each text, so that two backend calls for one request give different texts.</summary>
    public bool VaryTextPerCall { get; set; }

    /// <summary>Log-probabilities returned with generations; by default values that are hard to round-trip.</summary>
    public IReadOnlyList<TokenLogProbability> LogProbabilities { get; set; } =
    [
        new("The", Math.Log(1.0 / 3.0)),
        new(" answer", -1e-300),
        new(" is", -double.Epsilon),
        new(" 42", -0.1 - 0.2),
        new(".", double.NegativeInfinity),
    ];

    public int Started => Volatile.Read(ref _started);

    public int Completed => Volatile.Read(ref _completed);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Requests received, in order of arrival.</summary>
    public ConcurrentQueue<object> Requests { get; } = new();

    /// <summary>The cancellation tokens the calls received, in order of arrival.</summary>
    public ConcurrentQueue<CancellationToken> Tokens { get; } = new();

    /// <summary>Completes when at least <paramref name="count"/> calls have started.</summary>
    public Task WaitForStartedAsync(int count)
    {
        lock (_gate)
        {
            if (_started >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _startWaiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(request, cancellationToken, n =>
        {
            var text = FormattableString.Invariant($"{Metadata.ModelId}|{request.Prompt}|t={request.Temperature}|s={request.SampleIndex}") + Suffix(n);
            return new GenerationResponse(text, new LanguageModelUsage(request.Prompt.Length, text.Length))
            {
                FinishReason = FinishReason.Stop,
                TokenLogProbabilities = request.IncludeLogProbabilities ? LogProbabilities : null,
            };
        });

    public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(request, cancellationToken, n =>
        {
            var tokens = Enumerable.Range(0, request.TopK)
                .Select(i => new TokenLogProbability(request.Context.Length + ":" + i + Suffix(n), Math.Log(1.0 / (i + 2))))
                .ToArray();
            return new NextTokenResponse(tokens, new LanguageModelUsage(request.Context.Length, 1));
        });

    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(request, cancellationToken, n =>
        {
            var tokens = request.Continuation.Select((c, i) => new TokenLogProbability(c.ToString() + Suffix(n), -Math.PI / (i + 1))).ToArray();
            return new ContinuationResponse(tokens, new LanguageModelUsage(request.Context.Length + request.Continuation.Length, 0));
        });

    public bool Disposed { get; private set; }

    public void Dispose() => Disposed = true;

    private string Suffix(int callNumber) => VaryTextPerCall ? "#" + callNumber : string.Empty;

    private async Task<T> RunAsync<T>(object request, CancellationToken cancellationToken, Func<int, T> respond)
    {
        Requests.Enqueue(request);
        Tokens.Enqueue(cancellationToken);
        var callNumber = Interlocked.Increment(ref _started);
        var inFlight = Interlocked.Increment(ref _inFlight);
        UpdatePeak(inFlight);
        SignalStarted(callNumber);
        try
        {
            if (Hold is { } hold)
            {
                await hold.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Let other callers interleave, as a real backend would.
                await Task.Yield();
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (FailOn?.Invoke(callNumber) is { } failure)
            {
                throw failure;
            }

            var response = respond(callNumber);
            Interlocked.Increment(ref _completed);
            return response;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void UpdatePeak(int inFlight)
    {
        var peak = Volatile.Read(ref _peakInFlight);
        while (inFlight > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }

    private void SignalStarted(int started)
    {
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            for (var i = _startWaiters.Count - 1; i >= 0; i--)
            {
                if (_startWaiters[i].Count <= started)
                {
                    ready.Add(_startWaiters[i].Signal);
                    _startWaiters.RemoveAt(i);
                }
            }
        }

        foreach (var signal in ready)
        {
            signal.TrySetResult();
        }
    }
}
