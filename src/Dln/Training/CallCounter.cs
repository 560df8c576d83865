namespace DeepLanguageNetworks;

/// <summary>Counts the backend calls and tokens of one training run (cache hits excluded), across all its models.</summary>
internal sealed class CallCounter
{
    private long _calls;
    private long _tokens;

    public long Calls => Interlocked.Read(ref _calls);

    public long Tokens => Interlocked.Read(ref _tokens);

    public ILanguageModel Wrap(ILanguageModel model) => new Counting(model, this);

    private void Add(bool fromCache, LanguageModelUsage usage)
    {
        if (fromCache)
        {
            return;
        }

        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _tokens, usage.TotalTokens);
    }

    private sealed class Counting(ILanguageModel inner, CallCounter counter) : DelegatingLanguageModel(inner)
    {
        public override async Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
        {
            var response = await base.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
            counter.Add(response.FromCache, response.Usage);
            return response;
        }

        public override async Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
        {
            var response = await base.GetNextTokenLogProbabilitiesAsync(request, cancellationToken).ConfigureAwait(false);
            counter.Add(response.FromCache, response.Usage);
            return response;
        }

        public override async Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
        {
            var response = await base.ScoreContinuationAsync(request, cancellationToken).ConfigureAwait(false);
            counter.Add(response.FromCache, response.Usage);
            return response;
        }

        // The run does not own the user's models: never dispose them.
        protected override void Dispose(bool disposing)
        {
        }
    }
}
