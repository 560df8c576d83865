using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Networks;

/// <summary>Networks declared as graphs: the builder's checks, the topological order, how a node's input is rendered, and inference.</summary>
public class GraphTests
{
    private static readonly OutputSpace YesNo = OutputSpace.FromClasses("yes|Yes", "no|No");

    private static LanguageLayer Hidden(ILanguageModel model, string prompt = "") => new(model, LayerTemplates.Hidden, prompt, OutputSpace.FreeText(32));

    private static LanguageLayer Answer(ILanguageModel model, string prompt = "Answer.") => new(model, LayerTemplates.Output, prompt, YesNo);

    private static Dln FanIn(ILanguageModel model, string? template = null) => Dln.CreateGraph()
        .AddLayer("facts", Hidden(model, "List the facts."))
        .AddLayer("tone", Hidden(model, "Describe the tone."))
        .AddLayer("answer", Answer(model), inputs: ["input", "facts", "tone"], inputTemplate: template)
        .Build(output: "answer");

    // ---- the builder's checks ---------------------------------------------------------------------------------------

    [Fact]
    public void An_input_that_names_no_node_is_reported_with_the_node_that_reads_it()
    {
        var model = new ScriptedLanguageModel();
        var builder = Dln.CreateGraph().AddLayer("facts", Hidden(model)).AddLayer("answer", Answer(model), inputs: ["input", "facts", "tne"]);

        var ex = Assert.Throws<ArgumentException>(() => builder.Build(output: "answer"));

        Assert.Contains("Node \"answer\" reads \"tne\"", ex.Message);
        Assert.Contains("\"facts\"", ex.Message);
    }

    [Fact]
    public void A_cycle_is_reported_with_its_nodes_in_the_direction_of_the_data()
    {
        var model = new ScriptedLanguageModel();
        var builder = Dln.CreateGraph()
            .AddLayer("a", Hidden(model), inputs: ["input", "c"])
            .AddLayer("b", Hidden(model), inputs: ["a"])
            .AddLayer("c", Hidden(model), inputs: ["b"])
            .AddLayer("answer", Answer(model), inputs: ["c"]);

        var ex = Assert.Throws<ArgumentException>(() => builder.Build(output: "answer"));

        Assert.Contains("cycle", ex.Message);
        // a reads c, b reads a, c reads b: the data goes a -> b -> c -> a.
        Assert.Contains("a -> b -> c -> a", ex.Message);
    }

    [Fact]
    public void A_node_that_reads_itself_is_refused_when_added()
    {
        var model = new ScriptedLanguageModel();

        var ex = Assert.Throws<ArgumentException>(() => Dln.CreateGraph().AddLayer("loop", Hidden(model), inputs: ["input", "loop"]));

        Assert.Contains("Node \"loop\" reads itself", ex.Message);
    }

    [Fact]
    public void A_node_whose_output_reaches_no_output_is_unused()
    {
        var model = new ScriptedLanguageModel();
        var builder = Dln.CreateGraph()
            .AddLayer("facts", Hidden(model))
            .AddLayer("extra", Hidden(model), inputs: ["facts"])
            .AddLayer("answer", Answer(model), inputs: ["input", "facts"]);

        var ex = Assert.Throws<ArgumentException>(() => builder.Build(output: "answer"));

        Assert.Contains("Node \"extra\" is not used", ex.Message);
        Assert.DoesNotContain("\"facts\" is", ex.Message);
    }

    [Fact]
    public void The_output_node_may_not_be_read()
    {
        var model = new ScriptedLanguageModel();
        var builder = Dln.CreateGraph()
            .AddLayer("first", Hidden(model))
            .AddLayer("second", Hidden(model), inputs: ["first"]);

        var ex = Assert.Throws<ArgumentException>(() => builder.Build(output: "first"));

        Assert.Contains("\"second\" is not used", ex.Message);
        Assert.Contains("The output node \"first\" is read by \"second\"", ex.Message);
    }

    [Theory]
    [InlineData("verdict", "The output node \"verdict\" is not a node of the graph")]
    [InlineData("input", "\"input\" is the network's input, not a node")]
    [InlineData("", "The output node is not named")]
    public void A_missing_output_is_reported(string output, string expected)
    {
        var model = new ScriptedLanguageModel();
        var builder = Dln.CreateGraph().AddLayer("answer", Answer(model));

        var ex = Assert.Throws<ArgumentException>(() => builder.Build(output));

        Assert.Contains(expected, ex.Message);
        Assert.Contains("\"answer\"", ex.Message);
    }

    [Fact]
    public void An_empty_graph_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Dln.CreateGraph().Build(output: "answer"));

        Assert.Contains("no node", ex.Message);
    }

    [Fact]
    public void Only_the_output_node_may_output_classes()
    {
        var model = new ScriptedLanguageModel();
        var builder = Dln.CreateGraph()
            .AddLayer("judge", Answer(model))
            .AddLayer("answer", Answer(model), inputs: ["input", "judge"]);

        var ex = Assert.Throws<ArgumentException>(() => builder.Build(output: "answer"));

        Assert.Contains("Node \"judge\" outputs classes", ex.Message);
    }

    [Theory]
    [InlineData("input", "reserved")]
    [InlineData("two words", "not valid")]
    [InlineData("9lives", "not valid")]
    [InlineData("a{b}", "not valid")]
    public void Node_names_are_checked_when_added(string name, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => Dln.CreateGraph().AddLayer(name, Hidden(new ScriptedLanguageModel())));

        Assert.Contains(expected, ex.Message);
        Assert.Contains(name, ex.Message);
    }

    [Fact]
    public void A_name_is_taken_once_and_a_layer_belongs_to_one_node()
    {
        var model = new ScriptedLanguageModel();
        var layer = Hidden(model);
        var builder = Dln.CreateGraph().AddLayer("facts", layer);

        var duplicate = Assert.Throws<ArgumentException>(() => builder.AddLayer("facts", Hidden(model)));
        var shared = Assert.Throws<ArgumentException>(() => builder.AddLayer("tone", layer));

        Assert.Contains("\"facts\" was already added", duplicate.Message);
        Assert.Contains("Node \"tone\" uses the same LanguageLayer instance as node \"facts\"", shared.Message);
    }

    [Fact]
    public void Inputs_must_be_listed_once_and_not_be_empty()
    {
        var model = new ScriptedLanguageModel();

        var twice = Assert.Throws<ArgumentException>(() => Dln.CreateGraph().AddLayer("a", Hidden(model), inputs: ["input", "input"]));
        var none = Assert.Throws<ArgumentException>(() => Dln.CreateGraph().AddLayer("a", Hidden(model), inputs: []));

        Assert.Contains("reads \"input\" twice", twice.Message);
        Assert.Contains("Node \"a\" reads nothing", none.Message);
    }

    [Fact]
    public void An_input_template_uses_exactly_the_inputs()
    {
        var model = new ScriptedLanguageModel();

        var unknown = Assert.Throws<ArgumentException>(() => Dln.CreateGraph().AddLayer("a", Hidden(model), inputs: ["input"], inputTemplate: "{input} {facts}"));
        var unused = Assert.Throws<ArgumentException>(() => Dln.CreateGraph().AddLayer("a", Hidden(model), inputs: ["input", "facts"], inputTemplate: "{input}"));
        var broken = Assert.Throws<ArgumentException>(() => Dln.CreateGraph().AddLayer("a", Hidden(model), inputTemplate: "{input"));
        var empty = Assert.Throws<ArgumentException>(() => Dln.CreateGraph().AddLayer("a", Hidden(model), inputTemplate: "no inputs"));

        Assert.Contains("uses {facts}, which the node does not read", unknown.Message);
        Assert.Contains("does not use {facts}", unused.Message);
        Assert.Contains("Node \"a\": its input template is invalid", broken.Message);
        Assert.Contains("names no input", empty.Message);
    }

    // ---- order and shape --------------------------------------------------------------------------------------------

    [Fact]
    public void Nodes_are_in_topological_order_ties_in_the_order_added()
    {
        var model = new ScriptedLanguageModel();
        var network = Dln.CreateGraph()
            .AddLayer("answer", Answer(model), inputs: ["input", "facts", "tone"])
            .AddLayer("tone", Hidden(model))
            .AddLayer("facts", Hidden(model))
            .Build(output: "answer");

        Assert.Equal(["tone", "facts", "answer"], network.Nodes.Select(n => n.Name));
        Assert.Equal([0, 1, 2], network.Nodes.Select(n => n.Index));
        Assert.Equal(network.Nodes.Select(n => n.Layer), network.Layers);
        Assert.Same(network.GetNode("answer").Layer, network.OutputLayer);
        Assert.True(network.OutputNode.IsOutput);
        Assert.Equal(["input", "facts", "tone"], network.OutputNode.Inputs);
    }

    [Fact]
    public void A_diamond_orders_every_node_after_what_it_reads()
    {
        var model = new ScriptedLanguageModel();
        var network = Dln.CreateGraph()
            .AddLayer("d", Answer(model), inputs: ["b", "c"])
            .AddLayer("c", Hidden(model), inputs: ["a"])
            .AddLayer("b", Hidden(model), inputs: ["a", "input"])
            .AddLayer("a", Hidden(model))
            .Build(output: "d");

        Assert.Equal(["a", "c", "b", "d"], network.Nodes.Select(n => n.Name));
        foreach (var node in network.Nodes)
        {
            Assert.All(node.Inputs.Where(i => i != "input"), source => Assert.True(network.GetNode(source).Index < node.Index, $"{source} before {node.Name}"));
        }

        Assert.Equal(
            "a <- input\nc <- a\nb <- a, input\nd <- b, c  (output)",
            network.Describe());
    }

    [Fact]
    public void A_stack_is_the_chain_of_its_layers()
    {
        var network = Dln.CreateDeep(new ScriptedLanguageModel(), ["h0", "h1"], "Answer.", YesNo);
        var plain = new Dln([Hidden(new ScriptedLanguageModel()), Answer(new ScriptedLanguageModel())], new DlnOptions { ResidualConnections = false });

        Assert.Equal(["layer0", "layer1", "layer2"], network.Nodes.Select(n => n.Name));
        Assert.Equal(["input"], network.Nodes[0].Inputs);
        Assert.Null(network.Nodes[0].InputTemplate);
        Assert.Equal(["input", "layer1"], network.Nodes[2].Inputs);
        Assert.Equal("{input}\nMy reasoning about it:\n{layer1}", network.Nodes[2].InputTemplate!.Text);
        Assert.Equal(["layer0"], plain.Nodes[1].Inputs);
        Assert.Null(plain.Nodes[1].InputTemplate);
        Assert.Equal("layer0 <- input\nlayer1 <- input, layer0\nlayer2 <- input, layer1  (output)", network.Describe());
    }

    [Fact]
    public void A_residual_template_with_literal_braces_renders_the_same_after_renaming()
    {
        var options = new DlnOptions { ResidualTemplate = new PromptTemplate("{input}\n{{hidden}} {{ }}:\n{hidden}", ["input", "hidden"]) };
        var network = Dln.CreateTwoLayer(new ScriptedLanguageModel(), "", "Answer.", YesNo, options);

        Assert.Equal(options.ResidualTemplate.Render(("input", "x {input}"), ("hidden", "h {hidden}")), network.GetLayerInput(1, "x {input}", "h {hidden}"));
        Assert.Equal("x {input}\n{hidden} { }:\nh {hidden}", network.GetLayerInput(1, "x {input}", "h {hidden}"));
    }

    // ---- rendering a node's input -----------------------------------------------------------------------------------

    [Fact]
    public void Several_inputs_without_a_template_are_written_one_after_another_under_their_names()
    {
        var network = FanIn(new ScriptedLanguageModel());
        var outputs = new Dictionary<string, string> { ["facts"] = "It rains.", ["tone"] = "Calm." };

        Assert.Equal("Will it rain?\nfacts:\nIt rains.\ntone:\nCalm.", network.GetNodeInput("answer", "Will it rain?", outputs));
        Assert.Equal("{input}\nfacts:\n{facts}\ntone:\n{tone}", network.OutputNode.InputTemplate!.Text);
        Assert.Equal(" Will it rain? ", network.GetNodeInput("facts", " Will it rain? ", outputs));
    }

    [Fact]
    public void An_input_template_is_rendered_literally_once()
    {
        var network = FanIn(new ScriptedLanguageModel(), template: "Q: {input}\nTone {{of it}}: {tone}\nFacts: {facts}");
        var outputs = new Dictionary<string, string> { ["facts"] = "{tone} and {{x}}", ["tone"] = "{input}" };

        Assert.Equal("Q: {facts}\nTone {of it}: {input}\nFacts: {tone} and {{x}}", network.GetNodeInput("answer", "{facts}", outputs));
        Assert.Equal(["input", "facts", "tone"], network.OutputNode.Inputs);
    }

    [Fact]
    public void Without_inputs_a_node_reads_what_its_template_names()
    {
        var model = new ScriptedLanguageModel();
        var network = Dln.CreateGraph()
            .AddLayer("facts", Hidden(model))
            .AddLayer("answer", Answer(model), inputTemplate: "Facts: {facts}\nQuestion: {input}")
            .Build(output: "answer");

        Assert.Equal(["facts", "input"], network.OutputNode.Inputs);
        Assert.Equal("Facts: F\nQuestion: Q", network.GetNodeInput("answer", "Q", new Dictionary<string, string> { ["facts"] = "F" }));
    }

    [Fact]
    public void A_graph_keeps_only_the_options_that_apply_to_it()
    {
        var model = new ScriptedLanguageModel();
        var network = Dln.CreateGraph(new DlnOptions { StripOptionsForHiddenLayers = true, ResidualConnections = false })
            .AddLayer("answer", Answer(model))
            .Build(output: "answer");

        Assert.Equal(new DlnOptions { StripOptionsForHiddenLayers = true }, network.Options);
    }

    [Fact]
    public void Hidden_nodes_read_the_input_without_its_options_block_when_asked()
    {
        const string input = "Which is heavier?\nOptions:\n(A) feathers\n(B) lead";
        var model = new ScriptedLanguageModel();
        var network = Dln.CreateGraph(new DlnOptions { StripOptionsForHiddenLayers = true })
            .AddLayer("facts", Hidden(model))
            .AddLayer("answer", Answer(model), inputs: ["input", "facts"])
            .Build(output: "answer");

        Assert.Equal("Which is heavier?", network.GetNodeInput("facts", input, new Dictionary<string, string>()));
        Assert.Equal(input + "\nfacts:\nF", network.GetNodeInput("answer", input, new Dictionary<string, string> { ["facts"] = "F" }));
    }

    [Fact]
    public void The_single_output_overload_refuses_a_node_that_reads_several()
    {
        var network = FanIn(new ScriptedLanguageModel());

        var ex = Assert.Throws<InvalidOperationException>(() => network.GetLayerInput(2, "x", "h"));

        Assert.Contains("\"answer\" reads several nodes", ex.Message);
        Assert.Equal("x", network.GetLayerInput(0, "x", null));
        Assert.Throws<KeyNotFoundException>(() => network.GetNode("nope"));
    }

    // ---- inference --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Every_node_output_is_in_the_result_by_name()
    {
        var model = ScriptedLanguageModel.WithEverything().Generates(p => p.Contains("List the facts.", StringComparison.Ordinal) ? "It rains." : "Calm.");
        model.OnNextToken = r => new NextTokenResponse([new TokenLogProbability(r.Context.Contains("It rains.", StringComparison.Ordinal) ? "yes" : "no", -0.1)], default);
        var network = FanIn(model);

        var result = await network.InvokeAsync("Will it rain?");

        Assert.Equal("yes", result.Output);
        Assert.Equal(["It rains.", "Calm."], result.HiddenOutputs);
        Assert.Equal(new Dictionary<string, string> { ["facts"] = "It rains.", ["tone"] = "Calm.", ["answer"] = "yes" }, result.Outputs);
        Assert.Equal("Will it rain?\nfacts:\nIt rains.\ntone:\nCalm.", result.LayerInputs[2]);
        Assert.Equal([0, 1], model.Generations.Select(g => g.Purpose.Layer!.Value).Order());
        Assert.Equal(2, model.NextTokenRequests.Single().Purpose.Layer);
    }

    [Fact]
    public async Task Independent_nodes_are_in_flight_at_the_same_time()
    {
        // Each hidden call waits until the other one has started: run one after the other, they would never finish.
        using var model = new GatedLanguageModel(gate: 2, timeout: TimeSpan.FromSeconds(20));
        var network = FanIn(model);

        var result = await network.InvokeAsync("Will it rain?");

        Assert.Equal(2, model.MaxInFlight);
        Assert.Equal("yes", result.Output);
    }

    [Fact]
    public async Task The_layers_of_a_stack_run_one_after_the_other()
    {
        using var model = new GatedLanguageModel(gate: 1, timeout: TimeSpan.FromSeconds(20));
        var network = Dln.CreateDeep(model, ["a", "b"], "Answer.", YesNo);

        await network.InvokeAsync("Will it rain?");

        Assert.Equal(1, model.MaxInFlight);
    }

    [Fact]
    public async Task A_failing_node_fails_the_call_and_its_readers_are_not_run()
    {
        var model = ScriptedLanguageModel.WithEverything();
        model.OnGenerate = r => r.Prompt.Contains("Describe the tone.", StringComparison.Ordinal)
            ? throw new LanguageModelException("too long") { Kind = LanguageModelErrorKind.ContextLengthExceeded }
            : new GenerationResponse("It rains.", default);
        var network = FanIn(model);

        var ex = await Assert.ThrowsAsync<LanguageModelException>(() => network.InvokeAsync("Will it rain?"));

        Assert.Equal(LanguageModelErrorKind.ContextLengthExceeded, ex.Kind);
        Assert.Empty(model.NextTokenRequests);
    }

    [Fact]
    public void A_copy_with_other_models_keeps_the_graph()
    {
        var network = FanIn(new ScriptedLanguageModel(modelId: "a"));
        var other = new ScriptedLanguageModel(modelId: "b");

        var copy = network.WithModels(_ => other);

        Assert.Equal(network.Describe(), copy.Describe());
        Assert.Equal(network.Nodes.Select(n => n.InputTemplate), copy.Nodes.Select(n => n.InputTemplate));
        Assert.All(copy.Layers, l => Assert.Same(other, l.Model));
        copy.Layers[0].Prompt = "changed";
        Assert.Equal("List the facts.", network.Layers[0].Prompt);
        Assert.Equal(network.ToJson().Replace("\"model\": \"a\"", "\"model\": \"b\"", StringComparison.Ordinal).Replace("List the facts.", "changed", StringComparison.Ordinal), copy.ToJson());
    }
}
