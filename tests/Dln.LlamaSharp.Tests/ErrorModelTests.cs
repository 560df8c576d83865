namespace DeepLanguageNetworks.LlamaSharp.Tests;

/// <summary>
/// The local backend in the library's one error model: bad requests get the core's validation message, and an input
/// longer than the context window is a <see cref="LanguageModelException"/> of kind
/// <see cref="LanguageModelErrorKind.ContextLengthExceeded"/> for every operation, as a hosted HTTP 400 is.
/// </summary>
public sealed class ErrorModelTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    private static readonly string LongText = string.Concat(Enumerable.Repeat(" and then she played in the park with her friend", 12));

    [Fact]
    public async Task Invalid_requests_get_the_cores_validation_message()
    {
        LanguageModelRequest[] invalid =
        [
            new GenerationRequest("x") { Temperature = 3 },
            new GenerationRequest("x") { TopP = 0 },
            new GenerationRequest("x") { MaxTokens = 0 },
            new GenerationRequest("x") { StopSequences = null! },
            new NextTokenRequest("x", 0),
            new ContinuationRequest(null!, "y"),
        ];

        foreach (var request in invalid)
        {
            var expected = Assert.ThrowsAny<ArgumentException>(() => request.Validate(fixture.Model.Metadata));
            var actual = await Assert.ThrowsAnyAsync<ArgumentException>(() => Send(fixture.Model, request));

            Assert.Equal(expected.GetType(), actual.GetType());
            Assert.Equal(expected.Message, actual.Message);
        }
    }

    [Fact]
    public async Task Every_operation_reports_an_overflow_as_ContextLengthExceeded_with_token_counts()
    {
        using var model = new LlamaSharpLanguageModel(fixture.Options() with { ContextSize = 32 });

        var generation = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateAsync(new GenerationRequest(LongText)));
        var nextToken = await Assert.ThrowsAsync<LanguageModelException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest(LongText)));
        var continuation = await Assert.ThrowsAsync<LanguageModelException>(() => model.ScoreContinuationAsync(new ContinuationRequest("Once", LongText)));

        foreach (var (error, operation) in new[]
        {
            (generation, LanguageModelOperation.Generation),
            (nextToken, LanguageModelOperation.NextTokenLogProbabilities),
            (continuation, LanguageModelOperation.ContinuationLogProbabilities),
        })
        {
            Assert.Equal(LanguageModelErrorKind.ContextLengthExceeded, error.Kind);
            Assert.Equal(operation, error.Operation);
            Assert.False(error.IsTransient);
            Assert.False(error.IsPermanent);
            Assert.Equal(model.Metadata.ProviderName, error.ProviderName);
            Assert.Equal(model.Metadata.ModelId, error.ModelId);
            Assert.Equal(model.Metadata.Endpoint, error.Endpoint);
            Assert.Matches(@"takes? \d+ tokens", error.Message);
            Assert.Contains("context window of 32 tokens", error.Message, StringComparison.Ordinal);
            Assert.Contains("LlamaSharpModelOptions.ContextSize", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Path.GetDirectoryName(model.ModelPath)!, error.Message, StringComparison.Ordinal);
        }

        // The retry decorator leaves it alone: another attempt cannot make the input fit.
        Assert.False(LanguageModelRetryOptions.IsTransientByDefault(generation));
        Assert.NotEmpty((await model.GenerateAsync(new GenerationRequest("Once upon") { MaxTokens = 4 })).Text);
    }

    private static Task Send(ILanguageModel model, LanguageModelRequest request) => request switch
    {
        GenerationRequest g => model.GenerateAsync(g),
        NextTokenRequest n => model.GetNextTokenLogProbabilitiesAsync(n),
        ContinuationRequest c => model.ScoreContinuationAsync(c),
        _ => throw new ArgumentOutOfRangeException(nameof(request)),
    };
}
