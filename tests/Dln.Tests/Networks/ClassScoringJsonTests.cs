using System.Text.Json.Nodes;
using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Networks;

/// <summary><see cref="LanguageLayerOptions.ClassScoring"/> in saved networks.</summary>
public class ClassScoringJsonTests
{
    private static readonly ScriptedLanguageModel Model = new(modelId: "model-x");

    private static Dln Network(ClassScoring scoring) => new([new LanguageLayer(
        Model, LayerTemplates.Output, "Judge.", OutputSpace.FromClasses("yes|Yes", "no"), new LanguageLayerOptions { ClassScoring = scoring })]);

    [Theory]
    [InlineData(ClassScoring.Auto, "auto")]
    [InlineData(ClassScoring.NextToken, "nextToken")]
    [InlineData(ClassScoring.Continuation, "continuation")]
    public void Every_mode_round_trips_and_is_written_by_name(ClassScoring scoring, string written)
    {
        var json = Network(scoring).ToJson();

        var node = JsonNode.Parse(json)!;
        Assert.Equal(written, (string?)node["layers"]![0]!["options"]!["classScoring"]);
        var loaded = Dln.FromJson(json, Model);
        Assert.Equal(scoring, loaded.OutputLayer.Options.ClassScoring);
        Assert.Equal(json, loaded.ToJson());
    }

    [Fact]
    public void A_file_written_before_the_option_existed_loads_as_auto()
    {
        var node = JsonNode.Parse(Network(ClassScoring.Continuation).ToJson())!;
        node["layers"]![0]!["options"]!.AsObject().Remove("classScoring");

        var loaded = Dln.FromJson(node.ToJsonString(), Model);

        Assert.Equal(ClassScoring.Auto, loaded.OutputLayer.Options.ClassScoring);
        Assert.Equal(new LanguageLayerOptions(), loaded.OutputLayer.Options);
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData("1")]
    public void An_unknown_mode_is_a_format_error_naming_the_layer_and_the_field(string value)
    {
        var node = JsonNode.Parse(Network(ClassScoring.Auto).ToJson())!;
        node["layers"]![0]!["options"]!["classScoring"] = value;

        var error = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(node.ToJsonString(), Model, "net.json"));

        Assert.Contains("net.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("layers[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("options.classScoring", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_read_regardless_of_case()
    {
        var node = JsonNode.Parse(Network(ClassScoring.Auto).ToJson())!;
        node["layers"]![0]!["options"]!["classScoring"] = "Continuation";

        Assert.Equal(ClassScoring.Continuation, Dln.FromJson(node.ToJsonString(), Model).OutputLayer.Options.ClassScoring);
    }
}
