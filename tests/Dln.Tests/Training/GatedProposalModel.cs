namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// A backward model that holds every call until <c>expected</c> calls have arrived, then answers them in the order
/// chosen by the test (for example last call first), so tests can show that results do not depend on completion order.
/// It records each request and how many numbers had been drawn from the proposer's random source when it arrived.
/// </summary>
internal sealed class GatedProposalModel(int expected, bool reverseCompletion, Func<GenerationRequest, string> answer, CountingRandom? random = null) : ILanguageModel
{
    private readonly List<(GenerationRequest Request, TaskCompletionSource<GenerationResponse> Reply)> _pending = [];

    public LanguageModelMetadata Metadata { get; } = new("test", "gated", LanguageModelCapabilities.GenerationOnly);

    public List<GenerationRequest> Requests { get; } = [];

    public List<int> DrawsAtCall { get; } = [];

    public List<int> CompletionOrder { get; } = [];

    public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        var reply = new TaskCompletionSource<GenerationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            Requests.Add(request);
            DrawsAtCall.Add(random?.Draws ?? 0);
            _pending.Add((request, reply));
            if (_pending.Count == expected)
            {
                var order = reverseCompletion ? Enumerable.Range(0, expected).Reverse() : Enumerable.Range(0, expected);
                foreach (var i in order)
                {
                    CompletionOrder.Add(i);
                    _pending[i].Reply.SetResult(new GenerationResponse(answer(_pending[i].Request), new LanguageModelUsage(10, 5)));
                }
            }
        }

        return reply.Task;
    }

    public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public void Dispose()
    {
    }
}
