using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Layers;

public class LanguageLayerTests
{
    private static readonly OutputSpace YesNo = OutputSpace.FromClasses("yes|Yes", "no|No");

    private static TokenLogProbability T(string token, double probability) => new(token, Math.Log(probability));

    private static LanguageLayer ClassLayer(ILanguageModel model, LanguageLayerOptions? options = null) =>
        new(model, LayerTemplates.Output, "Is it true?", YesNo, options);

    [Fact]
    public async Task Class_forward_asks_next_token_top_k_after_the_context_and_a_newline()
    {
        var model = ScriptedLanguageModel.WithEverything(maxTopK: 20);
        model.OnNextToken = _ => new NextTokenResponse([T(" No", 0.6), T("yes", 0.2)], new LanguageModelUsage(12, 1));
        var layer = ClassLayer(model);

        var output = await layer.ForwardAsync("Fish can fly.", purpose: new CallPurpose(CallRole.Forward, 3));

        var request = Assert.Single(model.NextTokenRequests);
        Assert.Equal("Is it true?\n\nFish can fly.\n\nAnswer:\n", request.Context);
        Assert.Equal(layer.Render("Fish can fly.") + "\n", request.Context);
        Assert.Equal(20, request.TopK);
        Assert.Equal(new CallPurpose(CallRole.Forward, 3), request.Purpose);
        Assert.Empty(model.Generations);
        Assert.Equal("no", output.Text);
        Assert.Equal("no", output.PredictedClass?.Label);
        Assert.NotNull(output.Distribution);
        Assert.Equal(0.75, output.Distribution.Probabilities[1], 12);
        Assert.Equal(new LanguageModelUsage(12, 1), output.Usage);
    }

    [Theory]
    [InlineData(100, 5, 5)] // clamped to the backend's maximum
    [InlineData(3, 20, 3)] // the layer asks for fewer than the backend allows
    [InlineData(100, 0, 100)] // the backend does not say its maximum
    [InlineData(100, int.MaxValue, 100)] // unbounded backend
    public async Task Class_forward_clamps_top_k_to_the_backend_maximum(int requested, int backendMax, int expected)
    {
        var model = ScriptedLanguageModel.WithEverything(maxTopK: backendMax);
        model.OnNextToken = _ => new NextTokenResponse([T("yes", 0.9)], default);
        var layer = ClassLayer(model, new LanguageLayerOptions { TopLogProbabilities = requested });

        await layer.ForwardAsync("x");

        Assert.Equal(expected, Assert.Single(model.NextTokenRequests).TopK);
    }

    [Theory]
    [InlineData(true, "positive")]
    [InlineData(false, "negative")]
    public async Task Class_forward_honours_the_prefix_matching_option(bool matchPrefixes, string expected)
    {
        // "pos" (0.6) only counts for positive with prefix matching; "negative" (0.3) is an exact spelling.
        var model = ScriptedLanguageModel.WithEverything();
        model.OnNextToken = _ => new NextTokenResponse([T("pos", 0.6), T("negative", 0.3), T("x", 0.01)], default);
        var layer = new LanguageLayer(model, LayerTemplates.Output, "", OutputSpace.FromClasses("positive", "negative"), new LanguageLayerOptions { MatchVerbalizerPrefixes = matchPrefixes });

        var output = await layer.ForwardAsync("x");

        Assert.Equal(expected, output.PredictedClass?.Label);
    }

    [Fact]
    public async Task Class_forward_falls_back_to_generation_when_the_backend_has_no_next_token_log_probabilities()
    {
        var model = new ScriptedLanguageModel().Generates(_ => " Yes.\n", new LanguageModelUsage(30, 2));
        var options = new LanguageLayerOptions { Temperature = 0.3, StopSequences = ["\n\n"] };
        var layer = ClassLayer(model, options);

        var output = await layer.ForwardAsync("Water is wet.", purpose: new CallPurpose(CallRole.Evaluation, 0));

        var request = Assert.Single(model.Generations);
        Assert.Equal(layer.Render("Water is wet."), request.Prompt);
        Assert.Equal(YesNo.MaxTokens, request.MaxTokens);
        Assert.Equal(10, request.MaxTokens);
        Assert.Equal(0.3, request.Temperature);
        Assert.Equal(["\n\n"], request.StopSequences);
        Assert.Equal(new CallPurpose(CallRole.Evaluation, 0), request.Purpose);
        Assert.Empty(model.NextTokenRequests);
        Assert.Equal("yes", output.Text); // the class's prototype, not the raw " Yes."
        Assert.Equal("yes", output.PredictedClass?.Label);
        Assert.Null(output.Distribution);
        Assert.Equal(new LanguageModelUsage(30, 2), output.Usage);
    }

    [Fact]
    public async Task Class_fallback_keeps_an_unknown_answer_as_text_with_no_class()
    {
        var model = new ScriptedLanguageModel().Generates(_ => "  Maybe, it depends.\n\n");
        var layer = ClassLayer(model);

        var output = await layer.ForwardAsync("x");

        Assert.Equal("Maybe, it depends.", output.Text);
        Assert.Null(output.PredictedClass);
        Assert.Null(output.Distribution);
    }

    [Fact]
    public async Task Free_text_forward_sends_decoding_settings_and_collapses_blank_lines()
    {
        var model = ScriptedLanguageModel.WithEverything().Generates(_ => "\nStep 1.\n\n\nStep 2.\n\nDone. \n", new LanguageModelUsage(40, 9), FinishReason.Length);
        var options = new LanguageLayerOptions { Temperature = 0.7, StopSequences = ["###", "END"] };
        var layer = new LanguageLayer(model, LayerTemplates.Hidden, "Think.", OutputSpace.FreeText(128), options);

        var output = await layer.ForwardAsync("2+2?", prompt: "Reason carefully.");

        var request = Assert.Single(model.Generations);
        Assert.Equal("2+2?\n\nReason carefully. Let us reason about it one step at a time.", request.Prompt);
        Assert.Equal(0.7, request.Temperature);
        Assert.Equal(128, request.MaxTokens);
        Assert.Equal(["###", "END"], request.StopSequences);
        Assert.Empty(model.NextTokenRequests); // free text never uses class scoring
        Assert.Equal("Step 1.\nStep 2.\nDone.", output.Text);
        Assert.Equal(FinishReason.Length, output.FinishReason);
        Assert.Null(output.PredictedClass);
        Assert.Equal(new LanguageModelUsage(40, 9), output.Usage);
        Assert.Equal("Think.", layer.Prompt); // the override did not change the layer's prompt
    }

    [Fact]
    public async Task Blank_lines_are_kept_when_collapsing_is_off()
    {
        var model = new ScriptedLanguageModel().Generates(_ => " a\n\n\nb ");
        var layer = new LanguageLayer(model, LayerTemplates.InstructionThenInput, "p", OutputSpace.FreeText(), new LanguageLayerOptions { CollapseBlankLines = false });

        var output = await layer.ForwardAsync("x");

        Assert.Equal("a\n\n\nb", output.Text);
    }

    [Fact]
    public async Task Score_continuation_sends_a_newline_then_the_continuation_and_applies_the_burn_in()
    {
        var model = ScriptedLanguageModel.WithEverything();
        // 20 continuation tokens: the first (the "\n" joiner) is hard; burn-in 0.05 × 20 = 1 token skipped.
        model.OnContinuation = _ => new ContinuationResponse(
            [new TokenLogProbability("\n", -50), .. Enumerable.Range(0, 19).Select(i => new TokenLogProbability($"w{i}", -0.5))],
            new LanguageModelUsage(60, 0));
        var layer = new LanguageLayer(model, LayerTemplates.Hidden, "Think.", OutputSpace.FreeText());

        var score = await layer.ScoreContinuationAsync("Q?", "Because A.", purpose: new CallPurpose(CallRole.Scoring, 0));

        var request = Assert.Single(model.ContinuationRequests);
        Assert.Equal(layer.Render("Q?"), request.Context);
        Assert.Equal("\nBecause A.", request.Continuation);
        Assert.Equal(new CallPurpose(CallRole.Scoring, 0), request.Purpose);
        Assert.Equal(20, score.TokenCount);
        Assert.Equal(19, score.ScoredTokens);
        Assert.Equal(-0.5, score.Mean, 12);
        Assert.Equal(-9.5, score.Sum, 12);
    }

    [Fact]
    public async Task Score_continuation_uses_the_layers_burn_in_ratio()
    {
        var model = ScriptedLanguageModel.WithEverything();
        model.OnContinuation = _ => new ContinuationResponse(
            [new TokenLogProbability("\n", -3), new TokenLogProbability("a", -1), new TokenLogProbability("b", -2), new TokenLogProbability("c", -3)], default);
        var layer = new LanguageLayer(model, LayerTemplates.Hidden, "", OutputSpace.FreeText(), new LanguageLayerOptions { ContinuationBurnInRatio = 0.5 });

        var score = await layer.ScoreContinuationAsync("Q?", "abc");

        // floor(0.5 × 4) = 2 skipped → mean of −2, −3.
        Assert.Equal(2, score.ScoredTokens);
        Assert.Equal(-2.5, score.Mean, 12);
    }

    [Fact]
    public async Task Score_continuation_on_a_backend_without_it_throws_naming_the_backend()
    {
        var model = new ScriptedLanguageModel(new LanguageModelCapabilities { NextTokenLogProbabilities = true, MaxTopLogProbabilities = 20 }, modelId: "chat-only-model");
        var layer = new LanguageLayer(model, LayerTemplates.Hidden, "", OutputSpace.FreeText());

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => layer.ScoreContinuationAsync("Q?", "h"));

        Assert.Contains("fake:chat-only-model", ex.Message);
        Assert.Contains(nameof(LanguageModelOperation.ContinuationLogProbabilities), ex.Message);
        Assert.Empty(model.ContinuationRequests);
    }

    [Fact]
    public async Task Score_classes_needs_a_classification_layer_and_next_token_log_probabilities()
    {
        var freeText = new LanguageLayer(ScriptedLanguageModel.WithEverything(), LayerTemplates.Output, "", OutputSpace.FreeText());
        var generationOnly = ClassLayer(new ScriptedLanguageModel(modelId: "gen-only"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => freeText.ScoreClassesAsync("x"));
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => generationOnly.ScoreClassesAsync("x"));
        Assert.Contains("fake:gen-only", ex.Message);
    }

    [Fact]
    public async Task Score_classes_with_a_candidate_prompt_renders_that_prompt()
    {
        var model = ScriptedLanguageModel.WithEverything();
        model.OnNextToken = r => new NextTokenResponse(r.Context.StartsWith("Candidate", StringComparison.Ordinal) ? [T("yes", 0.8), T("no", 0.2)] : [], default);
        var layer = ClassLayer(model);

        var distribution = await layer.ScoreClassesAsync("x", prompt: "Candidate");

        Assert.Equal(0.8, distribution.Probabilities[0], 12);
        Assert.Equal("Candidate\n\nx\n\nAnswer:\n", model.NextTokenRequests[0].Context);
    }

    [Fact]
    public async Task Demonstrations_are_rendered_as_a_few_shot_block_before_the_input()
    {
        var model = ScriptedLanguageModel.WithEverything();
        model.OnNextToken = _ => new NextTokenResponse([T("positive", 0.9)], default);
        var layer = new LanguageLayer(model, LayerTemplates.Output, "Classify the review.", OutputSpace.FromClasses("positive", "negative"))
        {
            Demonstrations = [new Example("I loved it", "positive"), new Example("Awful {input}", "negative")],
        };

        await layer.ForwardAsync("Great film");

        // Each shot: the template with an empty prompt and the target on the answer line; shots and the query are
        // separated by two blank lines, all inside the input slot, after the prompt.
        Assert.Equal(
            "Classify the review.\n\n" +
            "I loved it\n\nAnswer:\npositive\n\n\n" +
            "Awful {input}\n\nAnswer:\nnegative\n\n\n" +
            "Great film\n\nAnswer:\n",
            Assert.Single(model.NextTokenRequests).Context);
    }

    [Fact]
    public void Without_demonstrations_rendering_is_just_the_template()
    {
        var layer = ClassLayer(new ScriptedLanguageModel());

        Assert.Equal("Is it true?\n\nq\n\nAnswer:", layer.Render("q"));
        Assert.Equal("q\n\nAnswer:", layer.Render("q", prompt: string.Empty));
        Assert.Empty(layer.Demonstrations);
    }

    [Fact]
    public void Constructor_rejects_a_template_without_prompt_or_input()
    {
        var noInput = new PromptTemplate("{prompt} and nothing else", ["prompt"]);

        var ex = Assert.Throws<ArgumentException>(() => new LanguageLayer(new ScriptedLanguageModel(), noInput, "", OutputSpace.FreeText()));

        Assert.Equal("template", ex.ParamName);
        Assert.Contains("missing: {input}", ex.Message);
    }

    [Fact]
    public void Constructor_rejects_a_template_with_a_placeholder_the_layer_cannot_fill()
    {
        // The layer only fills {prompt} and {input}; a template that also uses {context} would fail on every call.
        var extra = new PromptTemplate("{prompt}\n{context}\n{input}", ["prompt", "input"], ["context"]);

        var ex = Assert.Throws<ArgumentException>(() => new LanguageLayer(new ScriptedLanguageModel(), extra, "", OutputSpace.FreeText()));

        Assert.Equal("template", ex.ParamName);
        Assert.Contains("{context}", ex.Message);
    }

    [Fact]
    public void Constructor_accepts_a_declared_optional_placeholder_that_the_text_does_not_use()
    {
        var template = new PromptTemplate("{prompt}\n{input}", ["prompt", "input"], ["context"]);

        var layer = new LanguageLayer(new ScriptedLanguageModel(), template, "p", OutputSpace.FreeText());

        Assert.Equal("p\nx", layer.Render("x"));
    }

    [Fact]
    public void Prompt_and_demonstrations_reject_null()
    {
        var layer = ClassLayer(new ScriptedLanguageModel());

        Assert.Throws<ArgumentNullException>(() => layer.Prompt = null!);
        Assert.Throws<ArgumentNullException>(() => layer.Demonstrations = null!);
        layer.Prompt = "New {prompt}";
        Assert.Equal("New {prompt}\n\nq\n\nAnswer:", layer.Render("q"));
    }

    [Fact]
    public void Post_process_collapses_any_run_of_blank_lines_and_trims()
    {
        var layer = ClassLayer(new ScriptedLanguageModel());

        Assert.Equal("a\nb\nc", layer.PostProcess("\n\na\n\n\n\n\nb\n\nc\n\n"));
    }
}
