namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// The scripted world reads the library's real templates and meta-prompt correctly, answers deterministically, and
/// refuses texts it does not recognise (so a change of template wording fails these tests first, with a clear cause).
/// </summary>
public class ScriptedWorldModelTests
{
    private static readonly OutputSpace YesNo = OutputSpace.FromClasses("yes|Yes", "no|No");

    [Theory]
    [InlineData("Answer yes if the number is odd.")]
    [InlineData("")]
    public void Reads_prompt_and_input_of_the_output_template(string prompt)
    {
        var layer = new LanguageLayer(new ScriptedWorldModel(NumberParityTask.Instance), LayerTemplates.Output, prompt, YesNo);
        var residual = new DlnOptions().ResidualTemplate.Render(("input", "Number: 4817"), ("hidden", "digit sum = 20"));

        Assert.True(ContextParser.TryParseOutput(layer.Render(residual) + "\n", out var call));
        Assert.Equal(new OutputCall(prompt, residual), call);
        Assert.True(ContextParser.TryParseOutput(layer.Render("Number: 3"), out call));
        Assert.Equal(new OutputCall(prompt, "Number: 3"), call);
        Assert.False(ContextParser.TryParseHidden(layer.Render("Number: 3"), out _));
    }

    [Theory]
    [InlineData("Add the digits of the number.")]
    [InlineData("")]
    public void Reads_prompt_input_and_hint_of_the_hidden_template(string prompt)
    {
        var layer = new LanguageLayer(new ScriptedWorldModel(DigitSumTask.TwoStep), LayerTemplates.Hidden, prompt, OutputSpace.FreeText());

        Assert.True(ContextParser.TryParseHidden(layer.Render("Number: 4817"), out var plain));
        Assert.Equal(new HiddenCall(prompt, "Number: 4817", null), plain);
        // The trainer's hint posterior renders the input followed by the expected outcome.
        Assert.True(ContextParser.TryParseHidden(layer.Render("Number: 4817" + ContextParser.HintSeparator + "no"), out var hinted));
        Assert.Equal(new HiddenCall(prompt, "Number: 4817", "no"), hinted);
        Assert.False(ContextParser.TryParseOutput(layer.Render("Number: 4817"), out _));
    }

    [Fact]
    public void Reads_the_backward_meta_prompt()
    {
        ProposalExample[] examples =
        [
            new("Number: 8\nMy reasoning about it:\nIt is even.", "yes", "no", IsCorrect: false),
            new("Number: 7", "yes", "yes", IsCorrect: true),
        ];
        var text = MetaPrompt.Build("Answer the question.", examples, MetaPrompt.EditInstruction(3));

        Assert.True(ContextParser.TryParseMetaPrompt(text, out var call));
        Assert.Equal("Answer the question.", call.CurrentInstruction);
        Assert.Equal(MetaPrompt.EditInstruction(3), call.EditInstruction);
        Assert.Equal(
            [new ShownExample("Number: 7", null, "yes", true), new ShownExample("Number: 8\nMy reasoning about it:\nIt is even.", "yes", "no", false)],
            call.Examples);

        Assert.True(ContextParser.TryParseMetaPrompt(MetaPrompt.Build(string.Empty, examples, MetaPrompt.EditInstruction(0)), out var withoutInstruction));
        Assert.Null(withoutInstruction.CurrentInstruction);
    }

    [Fact]
    public async Task Refuses_a_call_it_does_not_recognise()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => world.GenerateAsync(new GenerationRequest("Tell me a story.")));
        Assert.Contains("Tell me a story.", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => world.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Number: 3\n\nAnswer:")));
    }

    [Fact]
    public async Task Operations_outside_its_capabilities_throw_not_supported()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, LanguageModelCapabilities.GenerationOnly, "text-only");
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => world.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Number: 3\n\nAnswer:\n")));
        Assert.Contains("scripted:text-only", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => world.ScoreContinuationAsync(new ContinuationRequest("x", "\ny")));
        Assert.Equal(0, world.Calls);
    }

    [Fact]
    public async Task Class_scores_follow_the_stated_rule_and_samples_depend_only_on_seed_and_sample_index()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var layer = new LanguageLayer(world, LayerTemplates.Output, "Answer yes if the number is odd, and no otherwise.", YesNo);

        var odd = await layer.ScoreClassesAsync("Number: 37");
        var even = await layer.ScoreClassesAsync("Number: 38");
        var noRule = await layer.ScoreClassesAsync("Number: 37", prompt: "Answer the question.");
        Assert.Equal(0.9, odd.Probabilities[0], 12);
        Assert.Equal(0.1, even.Probabilities[0], 12);
        Assert.Equal(0.6, noRule.Probabilities[0], 12);
        Assert.Empty(odd.FlooredClasses);

        var meta = MetaPrompt.Build("Answer the question.", [new ProposalExample("Number: 8", "yes", "no", false)], MetaPrompt.EditInstruction(0));
        var texts = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => world.GenerateAsync(new GenerationRequest(meta) { Temperature = 0.7, Seed = 1234, SampleIndex = i % 8 })));
        for (var i = 8; i < texts.Length; i++)
        {
            Assert.Equal(texts[i % 8].Text, texts[i].Text);
        }

        Assert.True(texts.Take(8).Select(t => t.Text).Distinct().Count() > 1);
    }
}
