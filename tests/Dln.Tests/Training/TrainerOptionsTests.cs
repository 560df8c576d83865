using System.Text.Json;
using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// The two options records as a whole: the trainer checks the rules between options when it is constructed, before
/// any call; the algorithm and the run settings are separate records; the former name Tolerance still sets Patience.
/// </summary>
public class TrainerOptionsTests
{
    [Fact]
    public void A_money_budget_without_prices_fails_when_the_trainer_is_constructed_naming_Prices()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var run = new TrainingRunOptions { Budget = new UsageBudget { MaxCost = 5m } };

        var error = Assert.Throws<ArgumentException>(() => new VariationalTrainer(world, run: run));

        Assert.Equal(nameof(TrainingRunOptions.Prices), error.ParamName);
        Assert.Contains("Prices", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxCost", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Calls);

        var priced = run with { Prices = new PriceTable(new Dictionary<string, ModelPrice> { ["world"] = new(1m, 2m) }) };
        Assert.Same(priced, new VariationalTrainer(world, run: priced).RunOptions);
    }

    [Fact]
    public void A_run_that_would_neither_train_nor_measure_fails_when_the_trainer_is_constructed()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);

        var error = Assert.Throws<ArgumentException>(() => new VariationalTrainer(world, new VariationalTrainerOptions { Iterations = 0, EvaluateBeforeTraining = false }));

        Assert.Equal(nameof(VariationalTrainerOptions.EvaluateBeforeTraining), error.ParamName);
        Assert.Contains("Iterations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tolerance_is_the_former_name_of_Patience_in_code_and_in_configuration_files()
    {
#pragma warning disable CS0618 // the obsolete name is what is under test
        var options = new VariationalTrainerOptions { Tolerance = 5 };
        Assert.Null(options.Tolerance);
#pragma warning restore CS0618
        Assert.Equal(5, options.Patience);

        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.Equal(4, JsonSerializer.Deserialize<VariationalTrainerOptions>("""{"tolerance": 4, "iterations": 3}""", web)!.Patience);
        Assert.Equal(3, JsonSerializer.Deserialize<VariationalTrainerOptions>("""{"patience": 3}""", web)!.Patience);
        var written = JsonSerializer.Serialize(options, web);
        Assert.Contains("\"patience\":5", written, StringComparison.Ordinal);
        Assert.DoesNotContain("tolerance", written, StringComparison.Ordinal);
    }

    [Fact]
    public void The_presets_are_the_papers_settings_and_leave_the_run_settings_to_the_run_options()
    {
        Assert.Equal(new VariationalTrainerOptions(), VariationalTrainerOptions.Dln1);
        Assert.Equal(2, VariationalTrainerOptions.Dln2.Patience);
        Assert.Null(VariationalTrainerOptions.Dln1.SkipUpdateWhenBatchCorrect);

        var run = new TrainingRunOptions();
        Assert.Equal(RuntimeDecorators.All, run.RuntimeDecorators);
        Assert.Equal(3, run.MaxFailedIterations);
        Assert.Null(run.CheckpointPath);
        Assert.Null(run.Budget);
    }

    [Fact]
    public async Task TrainedLayers_are_checked_against_the_network_before_any_call()
    {
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStep);
        var (train, dev, _) = TrainingScenarios.DigitSumData();
        var network = TrainingScenarios.DigitSumTwoLayer(world);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            new VariationalTrainer(world, TrainingScenarios.Dln2Small with { TrainedLayers = [1, 2, 5] }).TrainAsync(network, train, dev));

        Assert.Equal("TrainedLayers", error.ParamName);
        Assert.Contains("layer(s) 2, 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("0..1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Calls);
    }
}
