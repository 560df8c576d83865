using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// What an iteration does with a batch the network already answers entirely right (issue 14, the paper's rule): a
/// one-layer network scored by log-probabilities proposes and selects anyway; with accuracy scoring, and in networks
/// with hidden layers, the update is skipped. <see cref="VariationalTrainerOptions.SkipUpdateWhenBatchCorrect"/>
/// overrides the rule either way.
/// </summary>
public class SkipRuleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task By_default_a_one_layer_network_with_log_probabilities_updates_on_an_all_correct_batch()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);

        var result = await new VariationalTrainer(world, TrainingScenarios.Dln1Small).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);
        output.WriteLine(TrainingScenarios.Describe(result));

        var allCorrect = AllCorrect(result);
        Assert.NotEmpty(allCorrect);
        Assert.All(allCorrect, h =>
        {
            Assert.False(h.Skipped);
            var update = Assert.Single(h.Updates);
            Assert.Equal(TrainingScenarios.Dln1Small.PromptCandidates - 1, update.Proposals.Requested);
        });
    }

    [Fact]
    public async Task By_default_a_one_layer_network_with_accuracy_scoring_skips_an_all_correct_batch()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, LanguageModelCapabilities.GenerationOnly);

        var result = await new VariationalTrainer(world, TrainingScenarios.Dln1Small).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);
        output.WriteLine(TrainingScenarios.Describe(result));

        AssertSkipped(AllCorrect(result));
        Assert.Contains(result.History, h => h.Updates.Count > 0);
    }

    [Fact]
    public async Task By_default_a_two_layer_network_skips_an_all_correct_batch()
    {
        var (train, dev, _) = TrainingScenarios.DigitSumData();
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStep);

        var result = await new VariationalTrainer(world, TrainingScenarios.Dln2Small).TrainAsync(TrainingScenarios.DigitSumTwoLayer(world), train, dev);
        output.WriteLine(TrainingScenarios.Describe(result));

        AssertSkipped(AllCorrect(result));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_option_overrides_the_rule_either_way(bool skip)
    {
        var (train, dev, _) = TrainingScenarios.DigitSumData();
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStep);
        var deep = await new VariationalTrainer(world, TrainingScenarios.Dln2Small with { SkipUpdateWhenBatchCorrect = skip }).TrainAsync(TrainingScenarios.DigitSumTwoLayer(world), train, dev);
        var (numbers, numbersDev, _) = NumberParityTask.Splits();
        using var numberWorld = new ScriptedWorldModel(NumberParityTask.Instance);
        var shallow = await new VariationalTrainer(numberWorld, TrainingScenarios.Dln1Small with { SkipUpdateWhenBatchCorrect = skip }).TrainAsync(TrainingScenarios.NumberNetwork(numberWorld), numbers, numbersDev);

        foreach (var result in new[] { deep, shallow })
        {
            var allCorrect = AllCorrect(result);
            Assert.NotEmpty(allCorrect);
            Assert.All(allCorrect, h => Assert.Equal(skip, h.Skipped));
            Assert.All(allCorrect, h => Assert.Equal(skip, h.Updates.Count == 0));
        }
    }

    private static TrainingProgress[] AllCorrect(TrainingResult result) => result.History.Where(h => h.BatchAccuracy == 1).ToArray();

    private static void AssertSkipped(TrainingProgress[] allCorrect)
    {
        Assert.NotEmpty(allCorrect);
        Assert.All(allCorrect, h =>
        {
            Assert.True(h.Skipped);
            Assert.Empty(h.Updates);
            Assert.Null(h.Error);
        });
    }
}
