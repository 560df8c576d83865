namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// Wraps a model and throws, instead of calling it, for the generation requests a test picks (for example the
/// backward model's proposals for one layer), the way a failing backend does after the retry decorator gave up.
/// </summary>
internal sealed class FaultInjectingModel(ILanguageModel inner, Func<GenerationRequest, bool> fails, Func<Exception> error) : DelegatingLanguageModel(inner)
{
    private long _failures;

    public long Failures => Interlocked.Read(ref _failures);

    public override Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        if (fails(request))
        {
            Interlocked.Increment(ref _failures);
            return Task.FromException<GenerationResponse>(error());
        }

        return base.GenerateAsync(request, cancellationToken);
    }
}
