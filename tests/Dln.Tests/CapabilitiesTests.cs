namespace DeepLanguageNetworks.Tests;

public class CapabilitiesTests
{
    [Fact]
    public void Require_names_backend_and_operation_when_missing()
    {
        var caps = LanguageModelCapabilities.GenerationOnly;
        var ex = Assert.Throws<NotSupportedException>(() => caps.Require(LanguageModelOperation.ContinuationLogProbabilities, "openai:gpt-4o-mini"));
        Assert.Contains("openai:gpt-4o-mini", ex.Message);
        Assert.Contains("ContinuationLogProbabilities", ex.Message);
        Assert.Contains("LlamaSharp", ex.Message);
    }

    [Fact]
    public void Require_passes_when_supported()
    {
        var caps = new LanguageModelCapabilities { NextTokenLogProbabilities = true, MaxTopLogProbabilities = 20 };
        caps.Require(LanguageModelOperation.NextTokenLogProbabilities, "x");
        Assert.False(caps.Supports(LanguageModelOperation.ContinuationLogProbabilities));
    }

    [Fact]
    public void Builder_applies_first_decorator_outermost()
    {
        var order = new List<string>();
        var inner = new RecordingModel("inner", order, null);
        var built = new LanguageModelBuilder(inner)
            .Use(m => new RecordingModel("outer", order, m))
            .Use(m => new RecordingModel("middle", order, m))
            .Build();
        built.GenerateAsync(new GenerationRequest("p")).GetAwaiter().GetResult();
        Assert.Equal(["outer", "middle", "inner"], order);
    }

    private sealed class RecordingModel(string name, List<string> order, ILanguageModel? inner) : ILanguageModel
    {
        public LanguageModelMetadata Metadata { get; } = new("test", name, LanguageModelCapabilities.GenerationOnly);

        public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
        {
            order.Add(name);
            return inner?.GenerateAsync(request, cancellationToken) ?? Task.FromResult(new GenerationResponse("ok", default));
        }

        public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
