using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// The session's order: step, validate, publish, checkpoint. Every report is published once and complete (with its
/// validation), is never changed afterwards, and the checkpoint that follows it holds it.
/// </summary>
public sealed class SessionOrderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("dln1")]
    [InlineData("dln2")]
    public async Task Reports_are_published_complete_once_each_and_the_checkpoint_follows_them(string scenario)
    {
        var path = Path.Combine(_folder.Path, scenario + ".json");
        var published = new List<TrainingProgress>();
        var checkpointAtPublish = new List<int?>();
        var progress = new SynchronousProgress(p =>
        {
            published.Add(p);
            checkpointAtPublish.Add(File.Exists(path) ? TrainingCheckpoint.FromJson(File.ReadAllText(path)).IterationsCompleted : null);
        });
        var (train, dev, test) = scenario == "dln1" ? NumberParityTask.Splits() : TrainingScenarios.DigitSumData();
        using var world = new ScriptedWorldModel(scenario == "dln1" ? NumberParityTask.Instance : DigitSumTask.TwoStep);
        var network = scenario == "dln1" ? TrainingScenarios.NumberNetwork(world) : TrainingScenarios.DigitSumTwoLayer(world);
        var options = (scenario == "dln1" ? TrainingScenarios.Dln1Small : TrainingScenarios.Dln2Small) with { Iterations = 5 };

        var result = await new VariationalTrainer(world, options, new TrainingRunOptions { CheckpointPath = path }).TrainAsync(network, train, dev, progress);

        // What was handed out is what the run ends with: no report was completed after it was published.
        Assert.Equal(RunRecord.Of(result.History), RunRecord.Of(published));
        Assert.Equal(Enumerable.Range(0, options.Iterations + 1), published.Select(p => p.Iteration));
        // Validated when published: the initial prompts, every second iteration and the last one.
        Assert.Equal([0, 2, 4, 5], published.Where(p => p.DevAccuracy is not null).Select(p => p.Iteration));
        Assert.All(published.Where(p => p.DevAccuracy is not null), p => Assert.Equal(p.BestDevAccuracy, published.Where(q => q.Iteration <= p.Iteration && q.DevAccuracy is not null).Max(q => q.DevAccuracy)));
        // While report t is handed out, the checkpoint on disk is the one of t − 1; the one written next holds t.
        Assert.Equal([null, 0, 1, 2, 3, 4], checkpointAtPublish);
        var final = await TrainingCheckpoint.LoadAsync(path);
        Assert.Equal(options.Iterations, final.IterationsCompleted);
        Assert.Equal(RunRecord.Of(result.History), RunRecord.Of(final.History));
    }
}
