using System.Text.Json.Nodes;
using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Networks;

/// <summary>
/// A graph saves to schema version 2 (its nodes, what each reads, the output node) and loads back; stacks keep schema
/// version 1, and the files of <c>Fixtures/</c>, written by the release before graphs, load and save unchanged.
/// </summary>
public class GraphJsonTests
{
    private static readonly ScriptedLanguageModel Model = new(modelId: "model-g");
    private static readonly OutputSpace YesNo = OutputSpace.FromClasses("yes|Yes", "no|No");

    private static Dln Graph() => Dln.CreateGraph(new DlnOptions { StripOptionsForHiddenLayers = true })
        .AddLayer("facts", new LanguageLayer(Model, LayerTemplates.Hidden, "List {the} facts.", OutputSpace.FreeText(40), new LanguageLayerOptions { StopSequences = ["\n\n"] }))
        .AddLayer("tone", new LanguageLayer(Model, LayerTemplates.Hidden, "", OutputSpace.FreeText(20)))
        .AddLayer("summary", new LanguageLayer(Model, LayerTemplates.InstructionThenInput, "Summarise.", OutputSpace.FreeText(30)), inputs: ["facts"])
        .AddLayer("answer", new LanguageLayer(Model, LayerTemplates.Output, "Answer.", YesNo) { Demonstrations = [new Example("Q {x}", "yes")] },
            inputTemplate: "{input}\nSummary {{short}}: {summary}\nTone: {tone}")
        .Build(output: "answer");

    [Fact]
    public void A_graph_round_trips_through_schema_version_2()
    {
        var original = Graph();
        var json = original.ToJson(new Dictionary<string, string> { ["task"] = "demo" });

        var loaded = Dln.FromJson(json, Model);

        Assert.Equal(json, loaded.ToJson(new Dictionary<string, string> { ["task"] = "demo" }));
        Assert.Equal(original.Describe(), loaded.Describe());
        Assert.Equal(original.Options, loaded.Options);
        Assert.Equal(original.Prompts, loaded.Prompts);
        var outputs = new Dictionary<string, string> { ["facts"] = "F {tone}", ["tone"] = "T", ["summary"] = "S" };
        foreach (var node in original.Nodes)
        {
            var twin = loaded.GetNode(node.Name);
            Assert.Equal(node.Index, twin.Index);
            Assert.Equal(node.Inputs, twin.Inputs);
            Assert.Equal(node.InputTemplate, twin.InputTemplate);
            Assert.Equal(node.Layer.Template, twin.Layer.Template);
            Assert.Equal(node.Layer.OutputSpace, twin.Layer.OutputSpace);
            Assert.Equal(node.Layer.Options, twin.Layer.Options);
            Assert.Equal(node.Layer.Demonstrations, twin.Layer.Demonstrations);
            Assert.Equal(original.GetNodeInput(node.Name, "Q?\nOptions:\n(A) x", outputs), loaded.GetNodeInput(node.Name, "Q?\nOptions:\n(A) x", outputs));
        }
    }

    [Fact]
    public void The_document_lists_nodes_with_their_inputs_and_the_output()
    {
        var node = JsonNode.Parse(Graph().ToJson())!;

        Assert.Equal(2, (int?)node["schemaVersion"]);
        Assert.Null(node["layers"]);
        // Of the options only what applies to a graph: no residual wiring, which the nodes replace.
        Assert.Equal(["stripOptionsForHiddenLayers"], node["options"]!.AsObject().Select(p => p.Key));
        Assert.True((bool)node["options"]!["stripOptionsForHiddenLayers"]!);
        Assert.Equal("answer", (string?)node["output"]);
        var nodes = node["nodes"]!.AsArray();
        Assert.Equal(["facts", "tone", "summary", "answer"], nodes.Select(n => (string?)n!["name"]));
        Assert.Equal(["facts"], nodes[2]!["inputs"]!.AsArray().Select(i => (string?)i));
        Assert.Equal(["input", "summary", "tone"], nodes[3]!["inputs"]!.AsArray().Select(i => (string?)i));
        Assert.Equal("{input}\nSummary {{short}}: {summary}\nTone: {tone}", (string?)nodes[3]!["inputTemplate"]);
        Assert.Null(nodes[0]!["inputTemplate"]);
        Assert.Equal("model-g", (string?)nodes[0]!["layer"]!["model"]);
    }

    [Fact]
    public void A_graph_records_the_metric_it_was_trained_for_with_its_settings()
    {
        var metric = MetricIdentity.Of(Metrics.Numeric(new NumericMatchOptions { RelativeTolerance = 0.01, PartialCredit = true }));
        var original = Graph();
        Assert.Null(original.TrainedMetric);
        Assert.Null(JsonNode.Parse(original.ToJson())!["metric"]);

        original.TrainedMetric = metric;
        var json = original.ToJson();
        var node = JsonNode.Parse(json)!;
        var loaded = Dln.FromJson(json, Model, "graph.json");

        Assert.Equal(2, (int?)node["schemaVersion"]);
        Assert.Equal("numeric", (string?)node["metric"]!["name"]);
        Assert.Equal("0.01", (string?)node["metric"]!["settings"]!["relativeTolerance"]);
        Assert.Equal(metric, loaded.TrainedMetric);
        Assert.Equal(json, loaded.ToJson());
        Assert.Equal(metric, loaded.WithModels(m => m).TrainedMetric);

        // A graph file without the field loads with none; an empty name is refused, naming the file and the field.
        node.AsObject().Remove("metric");
        Assert.Null(Dln.FromJson(node.ToJsonString(), Model).TrainedMetric);
        node["metric"] = new JsonObject { ["name"] = "" };
        var error = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "graph.json"));
        Assert.Contains("graph.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("metric.name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stack_is_still_written_in_schema_version_1()
    {
        var node = JsonNode.Parse(Dln.CreateTwoLayer(Model, "", "Answer.", YesNo).ToJson())!;

        Assert.Equal(1, (int?)node["schemaVersion"]);
        Assert.NotNull(node["layers"]);
        Assert.Null(node["nodes"]);
    }

    [Theory]
    [InlineData("v1-dln1.network.json", 1)]
    [InlineData("v1-dln2.network.json", 2)]
    [InlineData("v1-three-layer.network.json", 3)]
    public async Task Files_saved_before_graphs_load_and_save_unchanged(string file, int depth)
    {
        var text = await File.ReadAllTextAsync(Fixture(file));

        // The files name the model they were written with; a model of that id writes them back byte for byte.
        var network = Dln.FromJson(text, new ScriptedLanguageModel(modelId: "fixture-model"), file);

        Assert.Equal(depth, network.Depth);
        Assert.Equal(text, network.ToJson(depth == 1 ? new Dictionary<string, string> { ["task"] = "mpqa", ["bestDevAccuracy"] = "0.75" } : null));
        Assert.Equal(Enumerable.Range(0, depth).Select(i => $"layer{i}"), network.Nodes.Select(n => n.Name));
    }

    [Fact]
    public async Task A_saved_stack_reads_its_inputs_as_it_did()
    {
        var text = await File.ReadAllTextAsync(Fixture("v1-three-layer.network.json"));

        var network = Dln.FromJson(text, Model);

        Assert.Equal("Number: 12\nNotes {so far}:\nsum = 3", network.GetLayerInput(1, "Number: 12", "sum = 3"));
        Assert.Equal("Number: 12", network.GetLayerInput(0, "Number: 12", null));
        Assert.Equal(["Add the digits.", "State the parity of {the} sum.", "Answer."], network.Prompts);
        Assert.Single(network.OutputLayer.Demonstrations);
    }

    /// <summary>A file of <c>Networks/Fixtures</c> in the source tree (found from the test assembly's folder upwards), else beside the assembly.</summary>
    private static string Fixture(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Dln.Tests", "Networks", "Fixtures", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "NetworkFixtures", file);
    }

    [Fact]
    public void Models_are_asked_for_by_layer_index_whatever_the_order_of_the_file()
    {
        var node = JsonNode.Parse(Graph().ToJson())!;
        var reversed = new JsonArray([.. node["nodes"]!.AsArray().Reverse().Select(n => n!.DeepClone())]);
        node["nodes"] = reversed;
        var models = Enumerable.Range(0, 4).Select(i => new ScriptedLanguageModel(modelId: $"m{i}")).ToArray();

        var loaded = Dln.FromJson(node.ToJsonString(), i => models[i]);

        Assert.Equal(["tone", "facts", "summary", "answer"], loaded.Nodes.Select(n => n.Name));
        Assert.All(loaded.Nodes, n => Assert.Same(models[n.Index], n.Layer.Model));
        Assert.All(loaded.Nodes, n => Assert.All(n.Inputs.Where(i => i != "input"), s => Assert.True(loaded.GetNode(s).Index < n.Index)));
    }

    [Theory]
    [InlineData("unknown input", "Node \"summary\" reads \"fact\"")]
    [InlineData("cycle", "cycle")]
    [InlineData("missing output", "field \"output\"")]
    [InlineData("unknown output", "The output node \"verdict\"")]
    [InlineData("bad template", "nodes[3]: Node \"answer\": its input template is invalid")]
    [InlineData("null node", "nodes[1] is null")]
    [InlineData("missing nodes", "field \"nodes\"")]
    [InlineData("reserved name", "nodes[0]: The name \"input\" is reserved")]
    [InlineData("hidden classes", "Node \"tone\" outputs classes")]
    public void A_broken_graph_file_is_reported_naming_the_file_and_the_node(string damage, string expected)
    {
        var node = JsonNode.Parse(Graph().ToJson())!;
        var nodes = node["nodes"]!.AsArray();
        switch (damage)
        {
            case "unknown input":
                nodes[2]!["inputs"] = new JsonArray("fact");
                break;
            case "cycle":
                nodes[0]!["inputs"] = new JsonArray("input", "summary");
                break;
            case "missing output":
                node.AsObject().Remove("output");
                break;
            case "unknown output":
                node["output"] = "verdict";
                break;
            case "bad template":
                nodes[3]!["inputTemplate"] = "{input} {summary} {tone";
                break;
            case "null node":
                nodes[1] = null;
                break;
            case "missing nodes":
                node.AsObject().Remove("nodes");
                break;
            case "reserved name":
                nodes[0]!["name"] = "input";
                break;
            case "hidden classes":
                nodes[1]!["layer"]!["outputSpace"] = JsonNode.Parse("""{ "kind": "classes", "classes": [{ "label": "a", "verbalizers": ["a"] }, { "label": "b", "verbalizers": ["b"] }] }""");
                break;
        }

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "graph.json"));

        Assert.StartsWith("graph.json: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }
}
