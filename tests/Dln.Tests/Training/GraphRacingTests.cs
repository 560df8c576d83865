using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// Candidate racing on the fan-in world (<see cref="TwoFactsTask"/>): the output node, scored over the posteriors of
/// both hidden nodes it reads, and each hidden node, weighed by its reader, race their candidates on slices of the
/// batch; the graph still learns both facts, with fewer scoring calls than scoring every candidate on every example, and
/// a racing run is as deterministic as any other (resuming one is in <see cref="CheckpointResumeTests"/>).
/// </summary>
public class GraphRacingTests(ITestOutputHelper output)
{
    private static readonly VariationalTrainerOptions Racing = TrainingScenarios.Dln2Small with { CandidateRacing = new CandidateRacingOptions() };

    [Fact]
    public async Task Every_node_of_a_fan_in_graph_races_and_the_graph_still_learns_both_facts()
    {
        var (train, dev, test) = TrainingScenarios.TwoFactsData();
        using var world = new ScriptedWorldModel(TwoFactsTask.Instance);
        var network = TrainingScenarios.TwoFactsGraph(world);

        var result = await new VariationalTrainer(world, Racing).TrainAsync(network, train, dev);
        output.WriteLine(TrainingScenarios.Describe(result));

        // Every node had a race that some candidate left before the whole batch.
        var updates = result.History.SelectMany(h => h.Updates).ToArray();
        foreach (var node in new[] { "digits", "lead", "answer" })
        {
            var layer = network.GetNode(node).Index;
            Assert.Contains(updates.Where(u => u.Layer == layer).SelectMany(u => u.CandidateScores), c => c.ExamplesScored is not null);
        }

        Assert.True(result.InitialDevAccuracy <= 0.6, $"initial dev {result.InitialDevAccuracy}");
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
        Assert.True((await network.EvaluateAsync(test)).Accuracy >= 0.9);
        Assert.Contains(TwoFactsTask.SumPhrase, network.GetNode("digits").Layer.Prompt, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(TwoFactsTask.LeadPhrase, network.GetNode("lead").Layer.Prompt, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_racing_graph_update_scores_fewer_examples_than_a_faithful_one_on_the_same_batch()
    {
        // The first iteration starts from the same prompts, batch and samples with or without racing, so its calls compare.
        var (train, dev, _) = TrainingScenarios.TwoFactsData();
        var options = TrainingScenarios.Dln2Small with { Iterations = 1, EvaluateBeforeTraining = false, SkipUpdateWhenBatchCorrect = false };
        var run = new TrainingRunOptions { RuntimeDecorators = RuntimeDecorators.None };

        async Task<TrainingResult> TrainAsync(VariationalTrainerOptions o)
        {
            using var world = new ScriptedWorldModel(TwoFactsTask.Instance);
            return await new VariationalTrainer(world, o, run).TrainAsync(TrainingScenarios.TwoFactsGraph(world), train, dev);
        }

        var faithful = await TrainAsync(options);
        var racing = await TrainAsync(options with { CandidateRacing = new CandidateRacingOptions() });

        var faithfulScoring = faithful.Usage.For(CallRole.Scoring).Calls;
        var racingScoring = racing.Usage.For(CallRole.Scoring).Calls;
        output.WriteLine($"scoring calls: faithful {faithfulScoring}, racing {racingScoring}");
        Assert.True(racingScoring < faithfulScoring, $"racing {racingScoring} vs faithful {faithfulScoring} scoring calls");
        Assert.Equal(faithful.Usage.For(CallRole.Backward).Calls, racing.Usage.For(CallRole.Backward).Calls);
    }

    [Fact]
    public async Task A_racing_graph_run_repeats_exactly()
    {
        var (train, dev, _) = TrainingScenarios.TwoFactsData();
        var options = Racing with { StopValidationEarly = true, ValidationChunkSize = 4, SkipUpdateWhenBatchCorrect = false };
        var run = new TrainingRunOptions { RuntimeDecorators = RuntimeDecorators.None };

        async Task<TrainingResult> TrainAsync()
        {
            using var world = new ScriptedWorldModel(TwoFactsTask.Instance);
            return await new VariationalTrainer(world, options, run).TrainAsync(TrainingScenarios.TwoFactsGraph(world), train, dev);
        }

        var first = await TrainAsync();
        var second = await TrainAsync();

        Assert.Equal(RunRecord.Of(first), RunRecord.Of(second));
        Assert.Contains(first.History.SelectMany(h => h.Updates).SelectMany(u => u.CandidateScores), c => c.ExamplesScored is not null);
    }
}
