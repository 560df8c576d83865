namespace DeepLanguageNetworks.LlamaSharp.Tests;

public sealed class NextTokenTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100_000)]
    public async Task Top_k_is_sorted_and_its_probabilities_sum_to_at_most_one(int topK)
    {
        var response = await fixture.Model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Once upon a", topK));

        Assert.Equal(Math.Min(topK, fixture.Model.VocabularySize), response.TopTokens.Count);
        for (var i = 1; i < response.TopTokens.Count; i++)
        {
            Assert.True(response.TopTokens[i - 1].LogProbability >= response.TopTokens[i].LogProbability);
        }

        var total = response.TopTokens.Sum(t => Math.Exp(t.LogProbability));
        Assert.True(total <= 1 + 1e-9, $"probabilities sum to {total}");
        if (topK >= fixture.Model.VocabularySize)
        {
            Assert.Equal(1.0, total, 1e-6);
        }
    }

    [Fact]
    public async Task Token_texts_carry_a_leading_space_so_verbalizers_match()
    {
        var response = await fixture.Model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Once upon a", 5));

        Assert.Equal(" time", response.TopTokens[0].Token);
        Assert.DoesNotContain(response.TopTokens, t => t.Token.Contains('\u2581', StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_top_token_agrees_with_continuation_scoring()
    {
        var next = await fixture.Model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Once upon a", 3));
        var scored = await fixture.Model.ScoreContinuationAsync(new ContinuationRequest("Once upon a", next.TopTokens[0].Token));

        Assert.Single(scored.Tokens);
        Assert.Equal(next.TopTokens[0].LogProbability, scored.Sum, 1e-6);
    }

    [Fact]
    public async Task Capabilities_announce_every_operation()
    {
        var capabilities = fixture.Model.Capabilities;

        Assert.True(capabilities.Generation && capabilities.SampledTokenLogProbabilities && capabilities.NextTokenLogProbabilities && capabilities.ContinuationLogProbabilities);
        Assert.True(capabilities.Deterministic);
        Assert.Equal(fixture.Model.VocabularySize, capabilities.MaxTopLogProbabilities);
        Assert.Equal(512, fixture.Model.VocabularySize);
        Assert.Equal(2048, capabilities.ContextLength);
        Assert.Equal("llama.cpp", fixture.Model.Metadata.ProviderName);
        Assert.Equal("stories260K", fixture.Model.Metadata.ModelId);
        Assert.Same(fixture.Model, fixture.Model.GetService<LlamaSharpLanguageModel>());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("x", 0)));
    }
}
