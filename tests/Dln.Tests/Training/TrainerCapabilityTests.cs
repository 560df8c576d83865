using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>Training refuses, before its first call, a backend that lacks an operation it needs, and data that cannot be scored.</summary>
public class TrainerCapabilityTests
{
    [Fact]
    public async Task Two_layer_network_without_continuation_scoring_fails_before_any_call()
    {
        var (train, dev, _) = TrainingScenarios.DigitSumData();
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStep, ScriptedWorldModel.ChatLikeCapabilities, modelId: "chat-like");
        var network = TrainingScenarios.DigitSumTwoLayer(world);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() =>
            new VariationalTrainer(world, TrainingScenarios.Dln2Small).TrainAsync(network, train, dev));

        Assert.Contains(nameof(LanguageModelCapabilities.ContinuationLogProbabilities), error.Message, StringComparison.Ordinal);
        Assert.Contains(world.Metadata.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Calls);
        Assert.Equal([string.Empty, TrainingScenarios.UninformativePrompt], network.Prompts);
    }

    [Fact]
    public async Task Auto_scoring_falls_back_to_accuracy_for_any_depth_when_the_output_backend_has_no_class_log_probabilities()
    {
        // Teacher forcing for the hidden layer, but no next-token log-probabilities for the output classes.
        var (train, dev, _) = TrainingScenarios.DigitSumData();
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStep, new LanguageModelCapabilities { ContinuationLogProbabilities = true, Deterministic = true, DefaultMaxConcurrency = 16 });

        // The output layer asks for the paper's next-token class scoring, which this backend lacks (with ClassScoring.Auto
        // it would score classes by teacher forcing instead, and so have class log-probabilities after all).
        var network = new Dln(
        [
            new LanguageLayer(world, LayerTemplates.Hidden, string.Empty, OutputSpace.FreeText(256)),
            new LanguageLayer(world, LayerTemplates.Output, TrainingScenarios.UninformativePrompt, TrainingScenarios.YesNo, new LanguageLayerOptions { ClassScoring = ClassScoring.NextToken }),
        ]);

        var result = await new VariationalTrainer(world, TrainingScenarios.Dln2Small with { Iterations = 2, SkipUpdateWhenBatchCorrect = false })
            .TrainAsync(network, train, dev);

        Assert.Equal(0, world.NextTokenCalls);
        Assert.True(world.ContinuationCalls > 0);
        var outputUpdates = result.History.SelectMany(h => h.Updates).Where(u => u.Layer == 1).ToArray();
        Assert.NotEmpty(outputUpdates);
        // Accuracy scores, minus no trust region (it needs class distributions).
        Assert.All(outputUpdates, u => Assert.All(u.CandidateScores, c => Assert.InRange(c.Score, 0, 1)));
        Assert.All(result.History, h => Assert.Null(h.TrainLoss));
    }

    [Fact]
    public async Task Log_probability_scoring_on_a_generation_only_backend_fails_before_any_call()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, LanguageModelCapabilities.GenerationOnly, modelId: "text-only");
        var options = TrainingScenarios.Dln1Small with { OutputScoring = OutputScoring.LogProbabilities };

        var error = await Assert.ThrowsAsync<NotSupportedException>(() =>
            new VariationalTrainer(world, options).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev));

        Assert.Contains(nameof(LanguageModelCapabilities.NextTokenLogProbabilities), error.Message, StringComparison.Ordinal);
        Assert.Contains(world.Metadata.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Calls);
    }

    [Fact]
    public async Task Backward_model_without_generation_fails_before_any_call()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var forward = new ScriptedWorldModel(NumberParityTask.Instance);
        using var backward = new ScriptedWorldModel(NumberParityTask.Instance, new LanguageModelCapabilities { Generation = false, NextTokenLogProbabilities = true }, modelId: "scorer-only");

        var error = await Assert.ThrowsAsync<NotSupportedException>(() =>
            new VariationalTrainer(backward, TrainingScenarios.Dln1Small).TrainAsync(TrainingScenarios.NumberNetwork(forward), train, dev));

        Assert.Contains("scorer-only", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, forward.Calls + backward.Calls);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("dev")]
    public async Task Target_outside_the_classes_names_the_example(string split)
    {
        var (train, dev, _) = NumberParityTask.Splits();
        var bad = new Example("Number: 12", "maybe") { Source = "numbers.jsonl:7" };
        if (split == "train")
        {
            train = [.. train.Take(3), bad, .. train.Skip(3)];
        }
        else
        {
            dev = [.. dev.Take(3), bad, .. dev.Skip(3)];
        }

        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            new VariationalTrainer(world, TrainingScenarios.Dln1Small).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev));

        Assert.Contains($"{split} example 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("numbers.jsonl:7", error.Message, StringComparison.Ordinal);
        Assert.Contains("'maybe'", error.Message, StringComparison.Ordinal);
        Assert.Contains("yes, no", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Calls);
    }
}
