namespace DeepLanguageNetworks.Tests.Fakes;

/// <summary>
/// A model whose generations wait at a gate until <c>gate</c> of them are in flight together (or time out, failing the
/// call), and which counts the most generations ever in flight: a test sees whether calls overlap without relying on
/// timing. Next-token calls answer "yes"; continuation calls give every token −0.5.
/// </summary>
internal sealed class GatedLanguageModel(int gate, TimeSpan timeout) : ILanguageModel
{
    private readonly object _lock = new();
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;

    public LanguageModelMetadata Metadata { get; } = new("fake", "gated", new LanguageModelCapabilities
    {
        NextTokenLogProbabilities = true,
        MaxTopLogProbabilities = 20,
        ContinuationLogProbabilities = true,
    });

    public int MaxInFlight { get; private set; }

    public async Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _inFlight++;
            MaxInFlight = Math.Max(MaxInFlight, _inFlight);
            if (_inFlight >= gate)
            {
                _open.TrySetResult();
            }
        }

        try
        {
            await _open.Task.WaitAsync(timeout, cancellationToken);
            return new GenerationResponse($"text {request.Purpose.Layer}", new LanguageModelUsage(1, 1));
        }
        finally
        {
            lock (_lock)
            {
                _inFlight--;
            }
        }
    }

    public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new NextTokenResponse([new TokenLogProbability("yes", -0.1)], new LanguageModelUsage(1, 1)));

    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ContinuationResponse([new TokenLogProbability(request.Continuation, -0.5)], new LanguageModelUsage(1, 0)));

    public void Dispose()
    {
    }
}
