namespace DeepLanguageNetworks.Tests;

/// <summary>
/// <see cref="LanguageModelRequest.Validate"/>, the one check every backend runs before sending: messages name the
/// request type, the field, the value and what was expected.
/// </summary>
public class RequestValidationTests
{
    private static readonly LanguageModelMetadata Everything = new("test", "m", new LanguageModelCapabilities
    {
        SampledTokenLogProbabilities = true,
        NextTokenLogProbabilities = true,
        ContinuationLogProbabilities = true,
        MaxTopLogProbabilities = 20,
    });

    public static TheoryData<string, LanguageModelRequest, string> Invalid => new()
    {
        { "Temperature", new GenerationRequest("x") { Temperature = 2.5 }, "GenerationRequest.Temperature must be between 0 and 2 (got 2.5)." },
        { "Temperature", new GenerationRequest("x") { Temperature = double.NaN }, "GenerationRequest.Temperature must be between 0 and 2 (got NaN)." },
        { "TopP", new GenerationRequest("x") { TopP = 0 }, "GenerationRequest.TopP must be greater than 0 and at most 1, or null for the backend's default (got 0)." },
        { "MaxTokens", new GenerationRequest("x") { MaxTokens = 0 }, "GenerationRequest.MaxTokens must be at least 1 (got 0)." },
        { "SampleIndex", new GenerationRequest("x") { SampleIndex = -1 }, "GenerationRequest.SampleIndex must be 0 or more (got -1)." },
        { "TopK", new NextTokenRequest("x", 0), "NextTokenRequest.TopK must be at least 1 (got 0)." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_out_of_range_field_is_named_with_its_value_and_range(string field, LanguageModelRequest request, string expected)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => request.Validate(Everything));

        Assert.Equal("request", error.ParamName);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_texts_are_named()
    {
        Assert.Contains("GenerationRequest.Prompt", Assert.Throws<ArgumentNullException>(() => new GenerationRequest(null!).Validate(Everything)).Message);
        Assert.Contains("NextTokenRequest.Context", Assert.Throws<ArgumentNullException>(() => new NextTokenRequest(null!).Validate(Everything)).Message);
        Assert.Contains("ContinuationRequest.Continuation", Assert.Throws<ArgumentNullException>(() => new ContinuationRequest("a", null!).Validate(Everything)).Message);
        Assert.Contains("StopSequences", Assert.Throws<ArgumentNullException>(() => new GenerationRequest("x") { StopSequences = ["\n", null!] }.Validate(Everything)).Message);
    }

    [Fact]
    public void An_operation_the_backend_lacks_is_refused_naming_the_backend()
    {
        var generationOnly = new LanguageModelMetadata("chat", "gpt-x", LanguageModelCapabilities.GenerationOnly) { Endpoint = "https://host/v1" };

        var continuation = Assert.Throws<NotSupportedException>(() => new ContinuationRequest("a", " b").Validate(generationOnly));
        var nextToken = Assert.Throws<NotSupportedException>(() => new NextTokenRequest("a").Validate(generationOnly));
        var logProbabilities = Assert.Throws<NotSupportedException>(() => new GenerationRequest("a") { IncludeLogProbabilities = true }.Validate(generationOnly));
        new GenerationRequest("a").Validate(generationOnly);

        Assert.Equal(LanguageModelCapabilities.DescribeMissing(LanguageModelOperation.ContinuationLogProbabilities, generationOnly.ToString()), continuation.Message);
        Assert.Contains("chat:gpt-x at https://host/v1", nextToken.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(LanguageModelOperation.SampledTokenLogProbabilities), logProbabilities.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_requests_pass()
    {
        new GenerationRequest("x") { Temperature = 2, TopP = 1, MaxTokens = 1, StopSequences = ["\n"], IncludeLogProbabilities = true }.Validate(Everything);
        new NextTokenRequest("", 1).Validate(Everything);
        new ContinuationRequest("", "").Validate(Everything);
    }
}
