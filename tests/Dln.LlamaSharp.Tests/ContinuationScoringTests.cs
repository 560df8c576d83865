namespace DeepLanguageNetworks.LlamaSharp.Tests;

public sealed class ContinuationScoringTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    private const string Story = "Once upon a time, there was a little girl named Lily. She loved to play in the park.";

    [Theory]
    [InlineData(Story, " One day, she saw a big red ball.")]
    [InlineData("The cat sat on the", " mat and looked at the sun.")]
    [InlineData("Tom said \"Hello!\"\n\n", "Answer: yes")]
    [InlineData("", "Once upon a time")]
    public async Task Teacher_forced_scores_equal_token_by_token_decoding(string context, string continuation)
    {
        using var reference = new ReferenceDecoder(fixture.ModelPath);
        var expected = reference.ScoreStepByStep(context, continuation);

        var response = await fixture.Model.ScoreContinuationAsync(new ContinuationRequest(context, continuation));

        Assert.Equal(expected.Count, response.Tokens.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], response.Tokens[i].LogProbability, 1e-4);
        }

        Assert.Equal(expected.Sum(), response.Sum, 1e-4);
        if (context.Length > 0)
        {
            // (After an empty context SentencePiece's leading-space marker makes the first token " Once".)
            Assert.Equal(continuation, string.Concat(response.Tokens.Select(t => t.Token)));
        }
    }

    [Fact]
    public async Task A_sensible_continuation_scores_higher_than_a_nonsense_one()
    {
        var sensible = await fixture.Model.ScoreContinuationAsync(new ContinuationRequest(Story, " She liked to play outside."));
        var nonsense = await fixture.Model.ScoreContinuationAsync(new ContinuationRequest(Story, " The quantum chromodynamics lattice diverged."));

        Assert.True(sensible.Sum > nonsense.Sum, $"sensible {sensible.Sum} should beat nonsense {nonsense.Sum}");
        Assert.True(sensible.Sum / sensible.Tokens.Count > nonsense.Sum / nonsense.Tokens.Count);
    }

    [Fact]
    public async Task Scores_are_log_probabilities_and_usage_counts_the_whole_sequence()
    {
        var response = await fixture.Model.ScoreContinuationAsync(new ContinuationRequest(Story, " The end."));

        Assert.NotEmpty(response.Tokens);
        Assert.All(response.Tokens, t => Assert.InRange(t.LogProbability, double.NegativeInfinity, 0));
        Assert.True(response.Usage.InputTokens > response.Tokens.Count);
        Assert.Equal(0, response.Usage.OutputTokens);
        Assert.False(response.FromCache);
    }

    [Fact]
    public async Task A_token_merged_across_the_boundary_is_scored_as_part_of_the_continuation()
    {
        // "a " + "time": SentencePiece reads the space and the word as one token " time", which starts in the context.
        var merged = await fixture.Model.ScoreContinuationAsync(new ContinuationRequest("Once upon a ", "time"));
        var clean = await fixture.Model.ScoreContinuationAsync(new ContinuationRequest("Once upon a", " time"));

        Assert.Equal(" time", string.Concat(merged.Tokens.Select(t => t.Token)));
        Assert.Equal(clean.Sum, merged.Sum, 1e-6);
    }

    [Fact]
    public async Task An_empty_continuation_has_no_tokens()
    {
        var response = await fixture.Model.ScoreContinuationAsync(new ContinuationRequest(Story, ""));

        Assert.Empty(response.Tokens);
        Assert.Equal(0, response.Sum);
    }

    [Fact]
    public async Task A_request_longer_than_the_context_window_names_the_token_counts_and_the_option()
    {
        using var model = new LlamaSharpLanguageModel(fixture.Options() with { ContextSize = 32 });
        var longText = string.Concat(Enumerable.Repeat(" and then she played", 10));

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.ScoreContinuationAsync(new ContinuationRequest(Story, longText)));

        Assert.Contains("ContextSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("32 tokens", error.Message, StringComparison.Ordinal);
        Assert.Equal(LanguageModelErrorKind.ContextLengthExceeded, error.Kind);
        Assert.Equal(LanguageModelOperation.ContinuationLogProbabilities, error.Operation);
        Assert.Equal(model.Metadata.ModelId, error.ModelId);
        Assert.Equal(LlamaSharpLanguageModel.ProviderName, error.ProviderName);
        Assert.False(error.IsTransient);
        Assert.False(error.IsPermanent);

        // The model keeps working after a rejected request.
        var ok = await model.ScoreContinuationAsync(new ContinuationRequest("Once upon", " a time"));
        Assert.NotEmpty(ok.Tokens);
    }
}
