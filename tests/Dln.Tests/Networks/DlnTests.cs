using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Networks;

public class DlnTests
{
    private const string Input = "Which is heavier?\nOptions:\n(A) a kilo of feathers\n(B) a kilo of lead";
    private const string Stripped = "Which is heavier?";

    private static readonly OutputSpace Abc = OutputSpace.FromClasses("a=(A)|A", "b=(B)|B", "c=(C)|C");

    private static string Residual(string input, string hidden) => $"{input}\nMy reasoning about it:\n{hidden}";

    private static Dln Network(int depth, DlnOptions? options = null, ILanguageModel? model = null) =>
        Dln.CreateDeep(model ?? new ScriptedLanguageModel(), Enumerable.Range(0, depth - 1).Select(i => $"hidden prompt {i}"), "output prompt", OutputSpace.FreeText(), options);

    [Fact]
    public void A_network_needs_a_layer()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Dln([]));

        Assert.Equal("layers", ex.ParamName);
    }

    [Fact]
    public void Only_the_last_layer_may_output_classes()
    {
        var model = new ScriptedLanguageModel();
        var classLayer = new LanguageLayer(model, LayerTemplates.Output, "", Abc);
        var textLayer = new LanguageLayer(model, LayerTemplates.Output, "", OutputSpace.FreeText());

        var ex = Assert.Throws<ArgumentException>(() => new Dln([textLayer, classLayer, textLayer]));

        Assert.Contains("Layer 1", ex.Message);
        Assert.Equal(2, new Dln([textLayer, classLayer]).Depth);
    }

    [Fact]
    public void Factories_build_the_expected_shapes()
    {
        var model = new ScriptedLanguageModel();

        var one = Dln.CreateOneLayer(model, "Answer.", Abc);
        var two = Dln.CreateTwoLayer(model, "", "Answer.", Abc, hiddenMaxTokens: 100);
        var three = Dln.CreateDeep(model, ["h0", "h1"], "Answer.", Abc);

        Assert.Equal(1, one.Depth);
        Assert.Same(LayerTemplates.Output, one.OutputLayer.Template);
        Assert.Equal(["", "Answer."], two.Prompts);
        Assert.Same(LayerTemplates.Hidden, two.Layers[0].Template);
        Assert.Equal(100, two.Layers[0].OutputSpace.MaxTokens);
        Assert.False(two.Layers[0].OutputSpace.IsClassification);
        Assert.Equal(["h0", "h1", "Answer."], three.Prompts);
        Assert.Same(three.Layers[2], three.OutputLayer);
        Assert.True(three.Options.ResidualConnections); // the paper's default
        Assert.False(three.Options.StripOptionsForHiddenLayers);
    }

    [Fact]
    public void One_layer_reads_the_full_input_even_when_hidden_layers_strip_options()
    {
        var network = Network(1, new DlnOptions { StripOptionsForHiddenLayers = true });

        Assert.Equal(Input, network.GetLayerInput(0, Input, previousOutput: "ignored"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_layers_with_residual(bool strip)
    {
        var network = Network(2, new DlnOptions { StripOptionsForHiddenLayers = strip });

        Assert.Equal(strip ? Stripped : Input, network.GetLayerInput(0, Input, null));
        // The output layer always sees the full input in the residual.
        Assert.Equal(Residual(Input, "H0"), network.GetLayerInput(1, Input, "H0"));
    }

    [Fact]
    public void Two_layers_without_residual_pass_only_the_hidden_text()
    {
        var network = Network(2, new DlnOptions { ResidualConnections = false });

        Assert.Equal(Input, network.GetLayerInput(0, Input, null));
        Assert.Equal("H0", network.GetLayerInput(1, Input, "H0"));
        Assert.Equal(string.Empty, network.GetLayerInput(1, Input, null));
    }

    [Fact]
    public void Three_layers_with_residual_and_stripping()
    {
        var network = Network(3, new DlnOptions { StripOptionsForHiddenLayers = true });

        Assert.Equal(Stripped, network.GetLayerInput(0, Input, null));
        Assert.Equal(Residual(Stripped, "H0"), network.GetLayerInput(1, Input, "H0")); // hidden layer: stripped input
        Assert.Equal(Residual(Input, "H1"), network.GetLayerInput(2, Input, "H1")); // output layer: full input
    }

    [Fact]
    public void Three_layers_without_residual()
    {
        var network = Network(3, new DlnOptions { ResidualConnections = false, StripOptionsForHiddenLayers = true });

        Assert.Equal(Stripped, network.GetLayerInput(0, Input, null));
        Assert.Equal("H0", network.GetLayerInput(1, Input, "H0"));
        Assert.Equal("H1", network.GetLayerInput(2, Input, "H1"));
    }

    [Fact]
    public void A_custom_residual_template_is_used()
    {
        var template = new PromptTemplate("Thoughts: {hidden}\nQuestion: {input}", ["input", "hidden"]);
        var network = Network(2, new DlnOptions { ResidualTemplate = template });

        Assert.Equal($"Thoughts: H0\nQuestion: {Input}", network.GetLayerInput(1, Input, "H0"));
    }

    [Fact]
    public void Residual_template_must_have_input_and_hidden()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DlnOptions { ResidualTemplate = new PromptTemplate("{input}", ["input"]) });

        Assert.Equal(nameof(DlnOptions.ResidualTemplate), ex.ParamName);
        Assert.Contains("{hidden}", ex.Message);
    }

    [Fact]
    public void Residual_template_may_not_use_other_placeholders()
    {
        var extra = new PromptTemplate("{input}\n{prompt}\n{hidden}", ["input", "hidden"], ["prompt"]);

        var ex = Assert.Throws<ArgumentException>(() => new DlnOptions { ResidualTemplate = extra });

        Assert.Equal(nameof(DlnOptions.ResidualTemplate), ex.ParamName);
        Assert.Contains("{prompt}", ex.Message);
    }

    [Fact]
    public void Layer_index_out_of_range_throws()
    {
        var network = Network(2);

        Assert.Throws<ArgumentOutOfRangeException>(() => network.GetLayerInput(-1, Input, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.GetLayerInput(2, Input, null));
    }

    [Fact]
    public async Task Invoke_passes_each_layers_output_on_and_sums_usage()
    {
        // Each layer answers with a tag naming the prompt it saw, so the next layer's input proves the wiring.
        var model = new ScriptedLanguageModel();
        var call = 0;
        model.OnGenerate = r =>
        {
            var n = Interlocked.Increment(ref call);
            var finish = n == 1 ? FinishReason.Length : FinishReason.Stop;
            return new GenerationResponse($"out{n}", new LanguageModelUsage(10 * n, n)) { FinishReason = finish };
        };
        var network = Network(3, model: model);

        var result = await network.InvokeAsync(Input);

        Assert.Equal(3, model.Generations.Count);
        Assert.Equal(["out1", "out2"], result.HiddenOutputs);
        Assert.Equal("out3", result.Output);
        Assert.Equal([true, false], result.HiddenTruncated);
        Assert.Equal([Input, Residual(Input, "out1"), Residual(Input, "out2")], result.LayerInputs);
        Assert.Equal(network.Layers[1].Render(Residual(Input, "out1")), model.Generations[1].Prompt);
        Assert.Equal(network.Layers[2].Render(Residual(Input, "out2")), model.Generations[2].Prompt);
        Assert.Equal(new LanguageModelUsage(60, 6), result.Usage);
        Assert.Equal(
            [new CallPurpose(CallRole.Inference, 0), new CallPurpose(CallRole.Inference, 1), new CallPurpose(CallRole.Inference, 2)],
            model.Generations.Select(g => g.Purpose));
        Assert.Null(result.Distribution);
        Assert.Null(result.PredictedClass);
    }

    [Fact]
    public async Task Invoke_stops_when_cancelled()
    {
        var model = new ScriptedLanguageModel().Generates(_ => "x");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Network(2, model: model).InvokeAsync("q", cancellation.Token));
        Assert.Empty(model.Generations);
    }

    [Fact]
    public async Task Invoke_with_a_class_output_layer_returns_the_distribution()
    {
        var model = ScriptedLanguageModel.WithEverything().Generates(_ => "The lead is denser.", new LanguageModelUsage(5, 5));
        model.OnNextToken = _ => new NextTokenResponse([new TokenLogProbability("(B)", Math.Log(0.7)), new TokenLogProbability(" A", Math.Log(0.1))], new LanguageModelUsage(20, 1));
        var network = Dln.CreateTwoLayer(model, "", "Pick one.", Abc, new DlnOptions { StripOptionsForHiddenLayers = true });

        var result = await network.InvokeAsync(Input);

        Assert.Equal("(B)", result.Output);
        Assert.Equal("b", result.PredictedClass?.Label);
        Assert.NotNull(result.Distribution);
        Assert.Equal(["c"], result.Distribution.FlooredClasses);
        Assert.Equal(new LanguageModelUsage(25, 6), result.Usage);
        Assert.StartsWith(Stripped + "\n\n", model.Generations[0].Prompt); // the hidden layer saw no options
        Assert.Contains("(A) a kilo of feathers", Assert.Single(model.NextTokenRequests).Context); // the output layer did
    }

    [Fact]
    public async Task Invoke_with_other_prompts_uses_them_without_changing_the_network()
    {
        var model = new ScriptedLanguageModel().Generates(p => p);
        var network = Network(2, model: model);

        var result = await network.InvokeAsync("q", ["P0", "P1"], new CallPurpose(CallRole.Scoring));

        Assert.StartsWith("q\n\nP0 ", model.Generations[0].Prompt);
        Assert.StartsWith("P1\n\n", model.Generations[1].Prompt);
        Assert.Equal(["hidden prompt 0", "output prompt"], network.Prompts);
        Assert.Equal(new CallPurpose(CallRole.Scoring, 1), model.Generations[1].Purpose);
        Assert.NotEmpty(result.Output);
        await Assert.ThrowsAsync<ArgumentException>(() => network.InvokeAsync("q", ["only one"], default));
    }

    [Fact]
    public async Task Evaluate_measures_accuracy_and_keeps_results_in_input_order()
    {
        // Answers come back in reverse order of the examples (later examples finish first) to show that the
        // results are placed by index, not by completion time.
        static int Number(GenerationRequest r) => int.Parse(r.Prompt.Split('#')[1].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        var model = new ScriptedLanguageModel
        {
            GenerationLatency = r => TimeSpan.FromMilliseconds(5 * (8 - Number(r))),
            OnGenerate = r => new GenerationResponse(Number(r) % 4 == 0 ? "(b)!" : "Yes.", new LanguageModelUsage(1, 2)),
        };
        var network = Dln.CreateOneLayer(model, "Answer.", OutputSpace.FreeText());
        var examples = Enumerable.Range(0, 8).Select(i => new Example($"#{i}", i % 2 == 0 ? "(B)" : "yes")).ToArray();

        var evaluation = await network.EvaluateAsync(examples, maxParallelism: 8);

        // Correct: n % 4 == 0 answers "(b)!" against target "(B)" (0, 4); odd n answer "Yes." against "yes" (1, 3, 5, 7);
        // n = 2, 6 answer "Yes." against "(B)" → wrong. 6 of 8. (Free text is compared whole: "(B) it is" would be wrong.)
        Assert.Equal(6, evaluation.Correct);
        Assert.Equal(0.75, evaluation.Accuracy);
        Assert.Equal(examples, evaluation.Results.Select(r => r.Example));
        Assert.Equal([true, true, false, true, true, true, false, true], evaluation.Results.Select(r => r.IsCorrect));
        Assert.Equal("(b)!", evaluation.Results[0].Prediction);
        Assert.Equal(new LanguageModelUsage(8, 16), evaluation.Usage);
        Assert.All(model.Generations, g => Assert.Equal(new CallPurpose(CallRole.Evaluation, 0), g.Purpose));
    }

    [Fact]
    public async Task Evaluate_compares_a_predicted_class_with_the_target_by_label()
    {
        // Label mapping: the model says "great"/"terrible", the data says "positive"/"negative" (OutputClass: the
        // label is what targets are compared with).
        var model = ScriptedLanguageModel.WithEverything();
        model.OnNextToken = r =>
        {
            var loved = r.Context.Contains("loved", StringComparison.Ordinal);
            return new NextTokenResponse(
                [new TokenLogProbability(loved ? "great" : "terrible", Math.Log(0.9)), new TokenLogProbability(loved ? "bad" : "good", Math.Log(0.05))], default);
        };
        var network = Dln.CreateOneLayer(model, "Sentiment?", OutputSpace.FromClasses("positive=great|good", "negative=terrible|bad"));
        Example[] examples = [new("I loved it", "positive"), new("I hated it", "negative"), new("I loved it too", "negative")];

        var evaluation = await network.EvaluateAsync(examples);

        Assert.Equal(["great", "terrible", "great"], evaluation.Results.Select(r => r.Prediction));
        Assert.Equal([true, true, false], evaluation.Results.Select(r => r.IsCorrect));
    }

    [Fact]
    public async Task Evaluate_with_the_wrong_number_of_prompts_throws()
    {
        var network = Network(2, model: new ScriptedLanguageModel().Generates(_ => "x"));

        await Assert.ThrowsAsync<ArgumentException>(() => network.EvaluateAsync([new Example("q", "x")], ["one"]));
    }

    [Fact]
    public void Null_layers_are_rejected_with_their_index()
    {
        var layer = new LanguageLayer(new ScriptedLanguageModel(), LayerTemplates.Output, "", OutputSpace.FreeText());

        var ex = Assert.Throws<ArgumentException>(() => new Dln([layer, null!]));

        Assert.Contains("1", ex.Message);
    }

    [Fact]
    public async Task Evaluate_records_hidden_outputs_and_validates_parallelism()
    {
        var model = new ScriptedLanguageModel().Generates(p => p.StartsWith("q", StringComparison.Ordinal) ? "thought" : "yes");
        var network = Network(2, model: model);

        var evaluation = await network.EvaluateAsync([new Example("q", "yes")], maxParallelism: 1);

        Assert.Equal(["thought"], evaluation.Results[0].HiddenOutputs);
        Assert.Equal(1.0, evaluation.Accuracy);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => network.EvaluateAsync([], maxParallelism: 0));
    }

    [Fact]
    public async Task Evaluate_of_no_examples_is_zero_accuracy()
    {
        var evaluation = await Network(1).EvaluateAsync([]);

        Assert.Empty(evaluation.Results);
        Assert.Equal(0, evaluation.Accuracy);
    }

    [Fact]
    public void Set_prompts_sets_every_layer_and_validates_the_count()
    {
        var network = Network(3);

        network.SetPrompts(["a", "b", "c"]);

        Assert.Equal(["a", "b", "c"], network.Prompts);
        Assert.Equal("c", network.OutputLayer.Prompt);
        var ex = Assert.Throws<ArgumentException>(() => network.SetPrompts(["a", "b"]));
        Assert.Contains("Expected 3", ex.Message);
        Assert.Equal(["a", "b", "c"], network.Prompts); // unchanged after the failed call
        Assert.Throws<ArgumentNullException>(() => network.SetPrompts(null!));
    }

    [Fact]
    public void Set_prompts_with_a_null_entry_changes_no_prompt()
    {
        var network = Network(3);

        var ex = Assert.Throws<ArgumentException>(() => network.SetPrompts(["a", null!, "c"]));

        Assert.Contains("1", ex.Message);
        Assert.Equal(["hidden prompt 0", "hidden prompt 1", "output prompt"], network.Prompts);
    }
}
