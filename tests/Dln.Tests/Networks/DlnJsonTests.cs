using System.Text.Json.Nodes;
using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Networks;

public class DlnJsonTests
{
    private static readonly ScriptedLanguageModel Model = new(modelId: "model-x");

    public static TheoryData<string> Shapes => new(NetworkShapes.Keys);

    private static readonly Dictionary<string, Func<Dln>> NetworkShapes = new()
    {
        ["one layer, classes"] = () => Dln.CreateOneLayer(Model, "Is the statement true?", OutputSpace.FromClasses("yes|Yes", "no|No")),
        ["one layer, free text"] = () => Dln.CreateOneLayer(Model, "Answer briefly.", OutputSpace.FreeText(77), LayerTemplates.InstructionThenInput),
        ["two layers"] = () => Dln.CreateTwoLayer(Model, "", "Pick an option.", OutputSpace.FromClasses("a=(A)|A", "b=(B)|B", "c=(C)|C")),
        ["three layers"] = () => Dln.CreateDeep(Model, ["Decompose.", "Check each step."], "Answer.", OutputSpace.FreeText(), hiddenMaxTokens: 300),
        ["non-default options"] = () =>
        {
            var options = new LanguageLayerOptions
            {
                Temperature = 0.7,
                TopLogProbabilities = 5,
                ContinuationBurnInRatio = 0.1,
                StopSequences = ["\n\n", "[END]"],
                CollapseBlankLines = false,
                MatchVerbalizerPrefixes = false,
            };
            var hidden = new LanguageLayer(Model, LayerTemplates.Hidden, "h", OutputSpace.FreeText(64), options);
            var custom = new PromptTemplate("### {prompt}\n{input}\n{{json}}: {{extra}}", ["prompt", "input"], ["unused"]);
            var output = new LanguageLayer(Model, custom, "o", OutputSpace.FromClasses("pos=positive|Positive|pos", "neg=negative|Negative"), options with { Temperature = 0 });
            var dlnOptions = new DlnOptions
            {
                ResidualConnections = false,
                StripOptionsForHiddenLayers = true,
                ResidualTemplate = new PromptTemplate("H: {hidden}\nQ: {input}", ["hidden", "input"]),
            };
            return new Dln([hidden, output], dlnOptions);
        },
        ["demonstrations"] = () =>
        {
            var network = Dln.CreateOneLayer(Model, "Classify.", OutputSpace.FromClasses("yes", "no"));
            network.OutputLayer.Demonstrations = [new Example("Sky is blue", "yes"), new Example("Fish fly {input}", "no")];
            return network;
        },
        ["prompts with braces, quotes, newlines and unicode"] = () => Dln.CreateTwoLayer(
            Model,
            "Use {input} and {{x}} } { \"quoted\" and 'single' \\ backslash\ttab",
            "Réponds en français 🙂 — «ça» 日本語\r\nline two\n\n\u0000\u001f\u2028",
            OutputSpace.FreeText()),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_shape_round_trips_through_json(string shape)
    {
        var original = NetworkShapes[shape]();
        var json = original.ToJson();

        var loaded = Dln.FromJson(json, Model);

        Assert.Equal(json, loaded.ToJson());
        Assert.Equal(original.Prompts, loaded.Prompts);
        Assert.Equal(original.Options, loaded.Options);
        for (var i = 0; i < original.Depth; i++)
        {
            Assert.Equal(original.Layers[i].Template, loaded.Layers[i].Template);
            Assert.Equal(original.Layers[i].OutputSpace, loaded.Layers[i].OutputSpace);
            Assert.Equal(original.Layers[i].Options, loaded.Layers[i].Options);
            Assert.Equal(original.Layers[i].Demonstrations, loaded.Layers[i].Demonstrations);
            Assert.Equal(original.Layers[i].Render("in {put}"), loaded.Layers[i].Render("in {put}"));
        }
    }

    [Fact]
    public void The_document_is_plain_versioned_json_without_models()
    {
        var node = JsonNode.Parse(NetworkShapes["two layers"]().ToJson(new Dictionary<string, string> { ["task"] = "navigate" }))!;

        Assert.Equal("dln-network", (string?)node["format"]);
        Assert.Equal(1, (int?)node["schemaVersion"]);
        Assert.Equal("navigate", (string?)node["metadata"]?["task"]);
        Assert.Equal("freeText", (string?)node["layers"]?[0]?["outputSpace"]?["kind"]);
        Assert.Equal("classes", (string?)node["layers"]?[1]?["outputSpace"]?["kind"]);
        Assert.Equal("model-x", (string?)node["layers"]?[0]?["model"]);
    }

    [Fact]
    public void Loading_gives_each_layer_the_model_for_its_index()
    {
        var json = NetworkShapes["three layers"]().ToJson();
        var models = Enumerable.Range(0, 3).Select(i => new ScriptedLanguageModel(modelId: $"m{i}")).ToArray();

        var loaded = Dln.FromJson(json, i => models[i]);

        Assert.Equal(models, loaded.Layers.Select(l => l.Model));
    }

    [Fact]
    public void A_model_factory_that_returns_null_is_a_caller_error_not_a_format_error()
    {
        var json = NetworkShapes["two layers"]().ToJson();

        var ex = Assert.Throws<InvalidOperationException>(() => Dln.FromJson(json, i => i == 0 ? Model : null!));

        Assert.Contains("layer 1", ex.Message);
    }

    [Fact]
    public async Task Save_and_load_through_a_file()
    {
        var folder = Directory.CreateTempSubdirectory("dln-tests-");
        try
        {
            var path = Path.Combine(folder.FullName, "sub", "network.json");
            var original = NetworkShapes["prompts with braces, quotes, newlines and unicode"]();

            await original.SaveAsync(path);
            await original.SaveAsync(path); // overwriting works too
            var loaded = await Dln.LoadAsync(path, Model);

            Assert.Equal(original.ToJson(), loaded.ToJson());
            Assert.Equal(["network.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName)); // no temporary files left
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.NotEqual(0xEF, bytes[0]); // UTF-8 without a byte-order mark
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_cancelled_save_leaves_the_previous_file_and_no_temporary_file()
    {
        var folder = Directory.CreateTempSubdirectory("dln-tests-");
        try
        {
            var path = Path.Combine(folder.FullName, "network.json");
            await File.WriteAllTextAsync(path, "previous");
            using var cancellation = new CancellationTokenSource();
            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NetworkShapes["two layers"]().SaveAsync(path, cancellationToken: cancellation.Token));

            Assert.Equal("previous", await File.ReadAllTextAsync(path));
            Assert.Single(Directory.GetFiles(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Loading_a_missing_file_names_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dln-missing-{Guid.NewGuid():N}.json");

        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => Dln.LoadAsync(path, Model));

        Assert.Equal(path, ex.FileName);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public async Task A_malformed_file_error_names_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("dln-tests-");
        try
        {
            var path = Path.Combine(folder.FullName, "broken.json");
            await File.WriteAllTextAsync(path, "{ \"format\": \"dln-network\", ");

            var ex = await Assert.ThrowsAsync<NetworkFormatException>(() => Dln.LoadAsync(path, Model));

            Assert.Contains(path, ex.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Invalid_json_error_names_the_line()
    {
        const string json = "{\n  \"format\": \"dln-network\",\n  \"schemaVersion\": 1,\n  oops\n}";

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(json, Model, "net.json"));

        Assert.StartsWith("net.json: line 4", ex.Message);
    }

    [Fact]
    public void A_missing_required_field_is_named()
    {
        var node = JsonNode.Parse(NetworkShapes["two layers"]().ToJson())!;
        node["layers"]![1]!.AsObject().Remove("prompt");

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "net.json"));

        Assert.Contains("net.json", ex.Message);
        Assert.Contains("prompt", ex.Message);
    }

    [Fact]
    public void A_wrong_format_name_is_reported()
    {
        var node = JsonNode.Parse(NetworkShapes["one layer, classes"]().ToJson())!;
        node["format"] = "something-else";

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model));

        Assert.Contains("\"format\" is \"something-else\"", ex.Message);
        Assert.Contains("\"dln-network\"", ex.Message);
    }

    [Fact]
    public void A_newer_schema_version_asks_to_update_the_package()
    {
        var node = JsonNode.Parse(NetworkShapes["one layer, classes"]().ToJson())!;
        // Version 2 (graphs) is read since graphs came; the first version this release does not know is 3.
        node["schemaVersion"] = 3;
        node["newFeature"] = new JsonObject { ["x"] = 1 };

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "future.json"));

        Assert.Contains("future.json", ex.Message);
        Assert.Contains("schemaVersion", ex.Message);
        Assert.Contains("3", ex.Message);
        Assert.Contains("Update the Dln package", ex.Message);
    }

    [Fact]
    public void A_schema_version_below_one_is_rejected()
    {
        var node = JsonNode.Parse(NetworkShapes["one layer, classes"]().ToJson())!;
        node["schemaVersion"] = 0;

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model));

        Assert.Contains("schemaVersion", ex.Message);
    }

    [Fact]
    public void An_unknown_output_space_kind_is_named()
    {
        var node = JsonNode.Parse(NetworkShapes["two layers"]().ToJson())!;
        node["layers"]![1]!["outputSpace"]!["kind"] = "regression";

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "net.json"));

        Assert.Contains("layers[1]", ex.Message);
        Assert.Contains("outputSpace.kind", ex.Message);
        Assert.Contains("regression", ex.Message);
    }

    [Fact]
    public void An_invalid_template_in_the_document_is_reported()
    {
        var node = JsonNode.Parse(NetworkShapes["one layer, classes"]().ToJson())!;
        node["layers"]![0]!["template"]!["text"] = "{prompt} {input} {oops";

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "net.json"));

        Assert.Contains("net.json", ex.Message);
        Assert.Contains("position 17", ex.Message);
    }

    [Fact]
    public void An_empty_layer_list_is_rejected()
    {
        var node = JsonNode.Parse(NetworkShapes["one layer, classes"]().ToJson())!;
        node["layers"] = new JsonArray();

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model));

        Assert.Contains("\"layers\"", ex.Message);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    public void A_document_that_is_not_an_object_is_rejected(string json)
    {
        Assert.Throws<NetworkFormatException>(() => Dln.FromJson(json, Model));
    }

    [Theory]
    [InlineData("layers")]
    [InlineData("options")]
    public void A_null_top_level_field_is_reported_not_a_crash(string field)
    {
        var node = JsonNode.Parse(NetworkShapes["one layer, classes"]().ToJson())!;
        node[field] = null;

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "net.json"));

        Assert.Contains(field, ex.Message);
    }

    [Theory]
    [InlineData("template")]
    [InlineData("outputSpace")]
    [InlineData("prompt")]
    public void A_null_layer_field_is_reported_not_a_crash(string field)
    {
        var node = JsonNode.Parse(NetworkShapes["one layer, classes"]().ToJson())!;
        node["layers"]![0]![field] = null;

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "net.json"));

        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void A_null_layer_is_reported_not_a_crash()
    {
        var node = JsonNode.Parse(NetworkShapes["one layer, classes"]().ToJson())!;
        node["layers"]!.AsArray().Add(null);

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "net.json"));

        Assert.Contains("layers[1]", ex.Message);
    }

    [Fact]
    public void An_out_of_range_layer_option_is_reported_with_the_option_name()
    {
        var node = JsonNode.Parse(NetworkShapes["one layer, classes"]().ToJson())!;
        node["layers"]![0]!["options"]!["temperature"] = 5;

        var ex = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "net.json"));

        Assert.Contains("Temperature", ex.Message);
        Assert.Contains("layers[0]", ex.Message);
    }

    [Fact]
    public void Missing_optional_fields_take_the_defaults()
    {
        const string json = """
            {
              "format": "dln-network",
              "schemaVersion": 1,
              "options": {},
              "layers": [
                { "template": { "text": "{prompt}\n\n{input}", "required": ["prompt", "input"] }, "prompt": "p", "outputSpace": { "kind": "freeText" } }
              ]
            }
            """;

        var network = Dln.FromJson(json, Model);

        Assert.True(network.Options.ResidualConnections);
        Assert.Equal(LayerTemplates.Residual, network.Options.ResidualTemplate);
        Assert.Equal(new LanguageLayerOptions(), network.OutputLayer.Options);
        Assert.Equal(256, network.OutputLayer.OutputSpace.MaxTokens);
    }
}
