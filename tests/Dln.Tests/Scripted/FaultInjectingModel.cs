namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// Wraps a model and throws, instead of calling it, for the requests a test picks (for example the backward model's
/// proposals for one layer, or the calls of a validation), the way a failing backend does after the retry decorator
/// gave up.
/// </summary>
internal sealed class FaultInjectingModel : DelegatingLanguageModel
{
    private readonly Func<CallPurpose, string, bool> _fails;
    private readonly Func<Exception> _error;
    private long _failures;

    /// <summary>Fails generation requests picked by <paramref name="fails"/>.</summary>
    public FaultInjectingModel(ILanguageModel inner, Func<GenerationRequest, bool> fails, Func<Exception> error)
        : this(inner, (_, _) => false, error) => FailsGeneration = fails;

    /// <summary>Fails any request whose purpose and text (prompt or context) <paramref name="fails"/> picks.</summary>
    public FaultInjectingModel(ILanguageModel inner, Func<CallPurpose, string, bool> fails, Func<Exception> error)
        : base(inner)
    {
        _fails = fails;
        _error = error;
    }

    public long Failures => Interlocked.Read(ref _failures);

    private Func<GenerationRequest, bool>? FailsGeneration { get; }

    public override Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
        FailsGeneration?.Invoke(request) == true || _fails(request.Purpose, request.Prompt)
            ? Fail<GenerationResponse>()
            : base.GenerateAsync(request, cancellationToken);

    public override Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
        _fails(request.Purpose, request.Context) ? Fail<NextTokenResponse>() : base.GetNextTokenLogProbabilitiesAsync(request, cancellationToken);

    public override Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
        _fails(request.Purpose, request.Context) ? Fail<ContinuationResponse>() : base.ScoreContinuationAsync(request, cancellationToken);

    private Task<T> Fail<T>()
    {
        Interlocked.Increment(ref _failures);
        return Task.FromException<T>(_error());
    }
}
