using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// A three-layer network on a three-step task (digit sum, then its parity, then the answer): the trainer propagates
/// targets down through two hidden layers (the best posterior sample of layer 1 is the target of layer 0).
/// </summary>
public class ThreeLayerEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Three_layer_network_trains_and_improves_its_dev_score()
    {
        var (train, dev, _) = TrainingScenarios.DigitSumData();
        using var world = new ScriptedWorldModel(DigitSumTask.ThreeStep);
        var network = TrainingScenarios.DigitSumThreeLayer(world);
        var options = TrainingScenarios.Dln2Small;

        var result = await new VariationalTrainer(world, options).TrainAsync(network, train, dev);
        output.WriteLine(TrainingScenarios.Describe(result));
        output.WriteLine($"3 layers: initial dev {result.InitialDevAccuracy:0.000}, best dev {result.BestDevAccuracy:0.000}, calls {result.Calls}");

        Assert.Equal(options.Iterations, result.IterationsCompleted);
        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.NotNull(result.InitialDevAccuracy);
        Assert.True(result.BestDevAccuracy > result.InitialDevAccuracy, $"best dev {result.BestDevAccuracy} vs initial {result.InitialDevAccuracy}");
        // Every layer took part: the hidden layers were updated, and their posterior weights were measured.
        var updated = result.History.SelectMany(h => h.Updates).Select(u => u.Layer).ToHashSet();
        Assert.Superset(new HashSet<int> { 0, 1, 2 }, updated);
        Assert.Contains(result.History, h => h.PosteriorEntropy is > 0 and <= 1);
    }
}
