using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// DLN-2 learns a hidden step: the output model can only answer "is the digit sum odd?" when it reads the digit sum,
/// and the hidden layer writes it only when its prompt asks to add the digits. Joint variational training (posterior
/// samples, sharpening weights, trust region, exploration penalty) must discover that prompt; DLN-1 with the same
/// budget cannot reach the answer.
/// </summary>
public class Dln2EndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Joint_training_learns_the_hidden_step_that_one_layer_cannot_replace()
    {
        var (train, dev, test) = TrainingScenarios.DigitSumData();
        var options = TrainingScenarios.Dln2Small;

        using var world = new ScriptedWorldModel(DigitSumTask.TwoStep);
        var deep = TrainingScenarios.DigitSumTwoLayer(world);
        var deepResult = await new VariationalTrainer(world, options).TrainAsync(deep, train, dev);
        var deepTest = (await deep.EvaluateAsync(test)).Accuracy;
        output.WriteLine(TrainingScenarios.Describe(deepResult));

        // DLN-1 on the same task, data and budget: same iterations, batch size and candidates per update.
        using var shallowWorld = new ScriptedWorldModel(DigitSumTask.TwoStep);
        var shallow = Dln.CreateOneLayer(shallowWorld, TrainingScenarios.UninformativePrompt, TrainingScenarios.YesNo);
        var shallowOptions = TrainingScenarios.Dln1Small with { Iterations = options.Iterations, BatchSize = options.BatchSize, PromptCandidates = options.PromptCandidates };
        var shallowResult = await new VariationalTrainer(shallowWorld, shallowOptions).TrainAsync(shallow, train, dev);
        output.WriteLine(TrainingScenarios.Describe(shallowResult));
        output.WriteLine($"DLN-2: initial dev {deepResult.InitialDevAccuracy:0.000}, best dev {deepResult.BestDevAccuracy:0.000}, test {deepTest:0.000}, calls {deepResult.Calls}");
        output.WriteLine($"DLN-1 same budget: initial dev {shallowResult.InitialDevAccuracy:0.000}, best dev {shallowResult.BestDevAccuracy:0.000}, calls {shallowResult.Calls}");

        Assert.True(deepResult.InitialDevAccuracy <= 0.6, $"DLN-2 initial dev {deepResult.InitialDevAccuracy}");
        Assert.True(deepResult.BestDevAccuracy >= 0.9, $"DLN-2 best dev {deepResult.BestDevAccuracy}");
        Assert.Contains(DigitSumTask.AddDigitsPhrase, deepResult.BestPrompts[0], StringComparison.OrdinalIgnoreCase);
        Assert.True(deepTest >= 0.9, $"DLN-2 test accuracy {deepTest}");
        // The learned network really reasons through the hidden step.
        var sample = await deep.InvokeAsync(test[0].Input);
        Assert.Equal(DigitSumTask.Fact(DigitSumTask.DigitSum(NumberParityTask.ParseNumber(test[0].Input)!.Value)), sample.HiddenOutputs[0]);

        Assert.Equal(options.Iterations, shallowResult.IterationsCompleted);
        Assert.Contains(shallowResult.History, h => h.Updates.Count > 0);
        Assert.True(shallowResult.BestDevAccuracy <= 0.6, $"DLN-1 best dev {shallowResult.BestDevAccuracy}");
    }

    [Fact]
    public async Task Joint_training_learns_both_prompts_when_the_output_layer_must_be_told_to_use_the_hidden_step()
    {
        var (train, dev, test) = TrainingScenarios.DigitSumData();
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStepJoint);
        var network = TrainingScenarios.DigitSumTwoLayer(world);

        var result = await new VariationalTrainer(world, TrainingScenarios.Dln2Small).TrainAsync(network, train, dev);
        var testAccuracy = (await network.EvaluateAsync(test)).Accuracy;
        output.WriteLine(TrainingScenarios.Describe(result));
        output.WriteLine($"DLN-2 joint: initial dev {result.InitialDevAccuracy:0.000}, best dev {result.BestDevAccuracy:0.000}, test {testAccuracy:0.000}, calls {result.Calls}");

        Assert.True(result.InitialDevAccuracy <= 0.6, $"initial dev {result.InitialDevAccuracy}");
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
        Assert.Contains(DigitSumTask.AddDigitsPhrase, result.BestPrompts[0], StringComparison.OrdinalIgnoreCase);
        Assert.Contains(DigitSumTask.OutputPhrase, result.BestPrompts[1], StringComparison.OrdinalIgnoreCase);
        Assert.True(testAccuracy >= 0.9, $"test accuracy {testAccuracy}");
    }
}
