using System.Text.Json.Nodes;

namespace DeepLanguageNetworks.Tests.Reliability;

/// <summary>
/// Bad data handed to the trainer or to a network definition fails before any backend call, with a message naming
/// where (split, index, the example's file and line) and what was expected. Bad dataset files are covered by
/// <c>Data/LoaderTests</c>; these are the gaps between the loaders and the trainer.
/// </summary>
public class BadInputTests
{
    private static readonly OutputSpace YesNo = OutputSpace.FromClasses("yes|Yes", "no|No");
    private static readonly Example Good = new("Number: 3", "yes") { Source = "train.jsonl:1" };

    public static TheoryData<string> Cases => new(BadData.Keys);

    private static readonly Dictionary<string, (Example?[] Train, Example?[] Dev, string[] Expected)> BadData = new()
    {
        ["empty train set"] = ([], [Good], ["training set is empty"]),
        ["empty dev set"] = ([Good], [], ["dev set is empty"]),
        ["null example"] = ([Good, null], [Good], ["train set has a null example at index 1"]),
        ["empty input"] = ([Good, new Example("", "no") { Source = "train.jsonl:2" }], [Good], ["train example 1 (train.jsonl:2)", "input is empty"]),
        ["whitespace input"] = ([Good], [new Example(" \n\t", "no") { Source = "dev.jsonl:5" }], ["dev example 0 (dev.jsonl:5)", "input is empty"]),
        ["unknown label"] = ([Good, new Example("Number: 4", "maybe") { Source = "train.jsonl:9" }], [Good], ["train example 1 (train.jsonl:9)", "'maybe'", "(yes, no)"]),
        ["unknown label in dev"] = ([Good], [new Example("Number: 4", "Neither.")], ["dev example 0", "'Neither.'"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_training_data_fails_before_any_call_naming_the_example(string name)
    {
        var (train, dev, expected) = BadData[name];
        var model = new CountingLanguageModel();
        var network = Dln.CreateOneLayer(model, "Answer.", YesNo);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new VariationalTrainer(model).TrainAsync(network, train!, dev!));

        Assert.All(expected, part => Assert.Contains(part, error.Message, StringComparison.Ordinal));
        Assert.Equal(0, model.Started);
    }

    [Theory]
    [InlineData("yes=")]
    [InlineData("yes=| |")]
    public void A_class_specification_without_a_spelling_is_rejected_naming_the_class(string specification)
    {
        var error = Assert.Throws<ArgumentException>(() => OutputSpace.FromClasses(specification, "no|No"));

        Assert.Contains("'yes' has no verbalizer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "has no verbalizer")]
    [InlineData("[\"\", \"  \"]", "has no verbalizer")]
    [InlineData("null", "verbalizers")]
    public void A_saved_network_with_a_class_without_verbalizers_is_rejected_naming_the_layer_and_class(string verbalizers, string expected)
    {
        var model = new CountingLanguageModel();
        var document = JsonNode.Parse(Dln.CreateTwoLayer(model, "h", "o", YesNo).ToJson())!;
        document["layers"]![1]!["outputSpace"]!["classes"]![1]!["verbalizers"] = JsonNode.Parse(verbalizers);
        var json = document.ToJsonString();

        var error = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(json, model, "net.json"));

        Assert.Contains("net.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        if (verbalizers != "null")
        {
            Assert.Contains("layers[1]", error.Message, StringComparison.Ordinal);
            Assert.Contains("'no'", error.Message, StringComparison.Ordinal);
        }
    }
}
