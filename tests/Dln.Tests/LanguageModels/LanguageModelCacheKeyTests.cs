namespace DeepLanguageNetworks.Tests;

public class LanguageModelCacheKeyTests
{
    private static readonly LanguageModelMetadata Model = new("openai", "gpt-4o-mini", LanguageModelCapabilities.GenerationOnly);

    private static readonly GenerationRequest Base = new("Classify: great movie") { Temperature = 0.7, MaxTokens = 20, Seed = 1 };

    [Fact]
    public void Same_request_gives_same_key_of_64_hex_characters()
    {
        var key = LanguageModelCacheKey.For(Model, Base);
        Assert.Equal(key, LanguageModelCacheKey.For(Model, Base with { }));
        Assert.Matches("^[0-9a-f]{64}$", key);
    }

    public static TheoryData<string, GenerationRequest> ChangedGenerationRequests => new()
    {
        { "sample index", Base with { SampleIndex = 1 } },
        { "temperature", Base with { Temperature = 0.8 } },
        { "logprob flag", Base with { IncludeLogProbabilities = true } },
        { "prompt", Base with { Prompt = "Classify: great movie " } },
        { "top-p", Base with { TopP = 0.9 } },
        { "max tokens", Base with { MaxTokens = 21 } },
        { "seed", Base with { Seed = 2 } },
        { "no seed", Base with { Seed = null } },
        { "stop sequences", Base with { StopSequences = ["\n"] } },
        { "stop sequence split differently", Base with { StopSequences = ["a", "b"] } },
    };

    [Theory]
    [MemberData(nameof(ChangedGenerationRequests))]
    public void Every_field_that_changes_the_result_changes_the_key(string field, GenerationRequest changed)
    {
        Assert.True(LanguageModelCacheKey.For(Model, Base) != LanguageModelCacheKey.For(Model, changed), $"The key ignores the {field}.");
    }

    [Fact]
    public void Stop_sequences_are_not_confused_by_concatenation()
    {
        var ab = LanguageModelCacheKey.For(Model, Base with { StopSequences = ["ab"] });
        var aThenB = LanguageModelCacheKey.For(Model, Base with { StopSequences = ["a", "b"] });
        Assert.NotEqual(ab, aThenB);
    }

    [Fact]
    public void Purpose_and_bypass_do_not_change_the_key()
    {
        var key = LanguageModelCacheKey.For(Model, Base);
        Assert.Equal(key, LanguageModelCacheKey.For(Model, Base with { Purpose = new CallPurpose(CallRole.Evaluation, 1) }));
        Assert.Equal(key, LanguageModelCacheKey.For(Model, Base with { BypassCache = true }));

        var next = new NextTokenRequest("x", 5);
        Assert.Equal(
            LanguageModelCacheKey.For(Model, next),
            LanguageModelCacheKey.For(Model, next with { Purpose = new CallPurpose(CallRole.Scoring, 0), BypassCache = true }));
    }

    [Fact]
    public void Model_and_provider_are_part_of_the_key_but_the_endpoint_is_not()
    {
        var key = LanguageModelCacheKey.For(Model, Base);
        Assert.NotEqual(key, LanguageModelCacheKey.For(Model with { ModelId = "gpt-4o" }, Base));
        Assert.NotEqual(key, LanguageModelCacheKey.For(Model with { ProviderName = "azure-openai" }, Base));
        Assert.Equal(key, LanguageModelCacheKey.For(Model with { Endpoint = "https://example.test/v1" }, Base));
    }

    [Fact]
    public void Top_k_changes_the_next_token_key()
    {
        Assert.NotEqual(
            LanguageModelCacheKey.For(Model, new NextTokenRequest("Answer:", 5)),
            LanguageModelCacheKey.For(Model, new NextTokenRequest("Answer:", 20)));
    }

    [Fact]
    public void Operations_with_the_same_text_have_different_keys()
    {
        var generation = LanguageModelCacheKey.For(Model, new GenerationRequest("Answer:"));
        var nextToken = LanguageModelCacheKey.For(Model, new NextTokenRequest("Answer:"));
        var continuation = LanguageModelCacheKey.For(Model, new ContinuationRequest("Answer:", ""));
        Assert.Equal(3, new[] { generation, nextToken, continuation }.Distinct().Count());
    }

    [Fact]
    public void Continuation_key_keeps_context_and_continuation_apart()
    {
        Assert.NotEqual(
            LanguageModelCacheKey.For(Model, new ContinuationRequest("ab", "c")),
            LanguageModelCacheKey.For(Model, new ContinuationRequest("a", "bc")));
    }
}
