using System.Text.Json;
using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.LanguageModels;

public class CallPurposeJsonTests
{
    [Theory]
    [InlineData(CallRole.Scoring, 1, "\"Scoring@1\"")]
    [InlineData(CallRole.Forward, null, "\"Forward\"")]
    public void A_purpose_round_trips_as_a_value(CallRole role, int? layer, string json)
    {
        var purpose = new CallPurpose(role, layer);
        Assert.Equal(json, JsonSerializer.Serialize(purpose));
        Assert.Equal(purpose, JsonSerializer.Deserialize<CallPurpose>(json));
    }

    [Theory]
    [InlineData("\"Sorting@1\"")]
    [InlineData("\"Scoring@x\"")]
    [InlineData("\"Scoring@1@2\"")]
    public void A_malformed_purpose_is_rejected_with_the_expected_form(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CallPurpose>(json));
        Assert.Contains("Scoring@1", error.Message);
    }

    [Fact]
    public async Task A_training_result_with_its_usage_report_serialises_to_json()
    {
        using var model = new HashingLanguageModel();
        var all = Enumerable.Range(0, 40).Select(i => new Example($"Item {i}", i % 2 == 0 ? "yes" : "no")).ToArray();
        var result = await new VariationalTrainer(model, VariationalTrainerOptions.Dln1 with { Iterations = 1, BatchSize = 4, PromptCandidates = 2 })
            .TrainAsync(Dln.CreateOneLayer(model, "Answer.", OutputSpace.FromClasses("yes", "no")), all[..30], all[30..]);

        var json = JsonSerializer.Serialize(result);

        using var document = JsonDocument.Parse(json);
        var byPurpose = document.RootElement.GetProperty("Usage").GetProperty("ByPurpose");
        var evaluation = result.Usage.ByPurpose[new CallPurpose(CallRole.Evaluation, 0)];
        Assert.True(evaluation.Calls > 0);
        Assert.Equal(evaluation.Calls, byPurpose.GetProperty("Evaluation@0").GetProperty("Calls").GetInt64());
        var roundTripped = JsonSerializer.Deserialize<Dictionary<CallPurpose, UsageCounts>>(byPurpose.GetRawText());
        Assert.Equal(result.Usage.ByPurpose.Count, roundTripped!.Count);
    }
}
