namespace DeepLanguageNetworks.LlamaSharp.Tests;

public sealed class TokenizerTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    [Fact]
    public void The_model_offers_its_tokenizer_through_get_service_also_behind_decorators()
    {
        var pipeline = fixture.Model.AsBuilder().UseConcurrencyLimit(4).UseRetry().Build();

        Assert.Same(fixture.Model, fixture.Model.GetService<ILanguageModelTokenizer>());
        Assert.Same(fixture.Model, pipeline.GetService<ILanguageModelTokenizer>());
    }

    [Theory]
    [InlineData("Once upon a time", " there was a cat.")]
    [InlineData("Answer:\n", "negative")]
    public async Task Counts_are_the_tokens_a_request_takes(string context, string continuation)
    {
        var response = await fixture.Model.ScoreContinuationAsync(new ContinuationRequest(context, continuation));
        var next = await fixture.Model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest(context, 1));

        Assert.Equal(response.Usage.InputTokens, fixture.Model.CountTokens(context + continuation));
        Assert.Equal(next.Usage.InputTokens, fixture.Model.CountTokens(context));
        Assert.Equal(response.Tokens.Count, fixture.Model.CountTokens(context + continuation) - fixture.Model.CountTokens(context));
    }

    [Fact]
    public void An_empty_text_is_the_beginning_of_sequence_token_alone_and_markup_is_plain_text()
    {
        // stories260K adds a BOS token; "</s>" read as plain text is several tokens, not the EOS token.
        Assert.Equal(1, fixture.Model.CountTokens(string.Empty));
        Assert.True(fixture.Model.CountTokens("</s>") > 2);
        Assert.Throws<ArgumentNullException>(() => fixture.Model.CountTokens(null!));
    }

    [Fact]
    public void Counting_after_dispose_fails_clearly()
    {
        var model = new LlamaSharpLanguageModel(fixture.Options());
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.CountTokens("a"));
    }
}
