namespace DeepLanguageNetworks.LlamaSharp.Tests;

public sealed class GenerationTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    private const string Prompt = "Once upon a time, there was a little girl named Lily.";

    [Fact]
    public async Task The_same_seed_gives_the_same_generation()
    {
        var request = new GenerationRequest(Prompt) { Temperature = 1.0, TopP = 0.95, Seed = 42, MaxTokens = 40 };

        var first = await fixture.Model.GenerateAsync(request);
        var second = await fixture.Model.GenerateAsync(request);
        using var otherInstance = new LlamaSharpLanguageModel(fixture.Options());
        var third = await otherInstance.GenerateAsync(request);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Text, third.Text);
        Assert.NotEmpty(first.Text);
    }

    [Fact]
    public async Task Different_seeds_or_sample_indexes_give_different_samples()
    {
        var request = new GenerationRequest(Prompt) { Temperature = 1.0, Seed = 7, MaxTokens = 30 };

        var texts = new List<string>();
        foreach (var variant in new[] { request, request with { Seed = 8 }, request with { SampleIndex = 1 }, request with { SampleIndex = 2 } })
        {
            texts.Add((await fixture.Model.GenerateAsync(variant)).Text);
        }

        Assert.True(texts.Distinct().Count() >= 3, "seeded samples should differ: " + string.Join(" | ", texts));
    }

    [Fact]
    public async Task Greedy_generation_is_deterministic_and_follows_the_most_likely_token()
    {
        var request = new GenerationRequest(Prompt) { MaxTokens = 20, IncludeLogProbabilities = true };

        var first = await fixture.Model.GenerateAsync(request);
        var second = await fixture.Model.GenerateAsync(request);
        var top = await fixture.Model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest(Prompt, 1));

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.TokenLogProbabilities, second.TokenLogProbabilities);
        Assert.StartsWith(top.TopTokens[0].Token, first.Text, StringComparison.Ordinal);
        Assert.Equal(top.TopTokens[0].LogProbability, first.TokenLogProbabilities![0].LogProbability, 1e-6);
    }

    [Fact]
    public async Task Max_tokens_ends_with_length_and_usage_counts_prompt_and_output()
    {
        var response = await fixture.Model.GenerateAsync(new GenerationRequest(Prompt) { MaxTokens = 8, IncludeLogProbabilities = true });

        Assert.Equal(FinishReason.Length, response.FinishReason);
        Assert.Equal(8, response.Usage.OutputTokens);
        Assert.Equal(8, response.TokenLogProbabilities!.Count);
        Assert.Equal(response.Text, string.Concat(response.TokenLogProbabilities.Select(t => t.Token)));
        Assert.All(response.TokenLogProbabilities, t => Assert.InRange(t.LogProbability, double.NegativeInfinity, 0));
        var promptTokens = (await fixture.Model.ScoreContinuationAsync(new ContinuationRequest(Prompt, ""))).Usage.InputTokens;
        Assert.Equal(promptTokens, response.Usage.InputTokens);
    }

    [Fact]
    public async Task A_stop_sequence_ends_generation_and_is_not_returned()
    {
        var full = await fixture.Model.GenerateAsync(new GenerationRequest(Prompt) { MaxTokens = 60 });
        var stop = full.Text.Contains(" park", StringComparison.Ordinal) ? " park" : full.Text.Trim().Split(' ')[2];
        var expected = full.Text[..full.Text.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = await fixture.Model.GenerateAsync(new GenerationRequest(Prompt) { MaxTokens = 60, StopSequences = ["nothing like this", stop], IncludeLogProbabilities = true });

        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(expected, stopped.Text);
        Assert.StartsWith(string.Concat(stopped.TokenLogProbabilities!.Select(t => t.Token)), full.Text, StringComparison.Ordinal);
        Assert.True(stopped.Usage.OutputTokens < full.Usage.OutputTokens);
    }

    [Fact]
    public async Task Invalid_generation_settings_are_rejected_with_the_field_name()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Model.GenerateAsync(new GenerationRequest(Prompt) { Temperature = 3 }));
        Assert.Contains("Temperature", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Model.GenerateAsync(new GenerationRequest(Prompt) { TopP = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Model.GenerateAsync(new GenerationRequest(Prompt) { MaxTokens = 0 }));
    }
}
