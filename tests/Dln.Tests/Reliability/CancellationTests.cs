using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;
using DeepLanguageNetworks.Tests.Training;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Reliability;

/// <summary>
/// Cancelling a run at any moment — in any phase of an iteration, or after a random delay — leaves a checkpoint that
/// loads, and resuming from it ends exactly where an uninterrupted run ends.
/// </summary>
public sealed class CancellationTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>Scenario, the role of the call that triggers the cancellation, and the iteration in which it happens.</summary>
    public static TheoryData<string, CallRole, int> Phases => new()
    {
        { "dln1", CallRole.Forward, 1 },
        { "dln1", CallRole.Backward, 2 },
        { "dln1", CallRole.Scoring, 3 },
        { "dln1", CallRole.Evaluation, 2 },
        { "dln2", CallRole.Backward, 2 },  // posterior samples of the hidden layer, then proposals
        { "dln2", CallRole.Scoring, 3 },
        { "dln2", CallRole.Evaluation, 2 },

        // The three-node fan-in graph: its forward pass (two hidden nodes at once), the posterior samples and
        // proposals, the scoring of candidates and of posterior weights, and a validation.
        { "graph", CallRole.Forward, 1 },
        { "graph", CallRole.Backward, 1 },
        { "graph", CallRole.Backward, 2 },
        { "graph", CallRole.Scoring, 2 },
        { "graph", CallRole.Scoring, 3 },
        { "graph", CallRole.Evaluation, 2 },
    };

    /// <summary>Scenario and the moment of the cancellation, in percent of the length of an uninterrupted run.</summary>
    public static TheoryData<string, int> Moments => new()
    {
        { "dln1", 10 }, { "dln1", 30 }, { "dln1", 50 }, { "dln1", 70 },
        { "dln2", 25 }, { "dln2", 60 },
        { "graph", 20 }, { "graph", 45 }, { "graph", 80 },
    };

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(Phases))]
    public async Task Cancelling_in_any_phase_leaves_a_checkpoint_that_resumes_to_the_uninterrupted_result(string name, CallRole role, int iteration)
    {
        var scenario = FaultScenario.Get(name);
        using var world = new ScriptedWorldModel(scenario.Task);
        var options = scenario.Options with { SkipUpdateWhenBatchCorrect = false };
        var run = scenario.Run with { CheckpointPath = Path.Combine(_folder.Path, "run.json") };
        var uninterrupted = await scenario.TrainAsync(world, options);

        using var cancellation = new CancellationTokenSource();
        var current = 0;
        var fired = 0;
        var trigger = new FaultInjectingLanguageModel(world, call =>
        {
            if (call.Purpose.Role == role && Volatile.Read(ref current) == iteration && Interlocked.Exchange(ref fired, 1) == 0)
            {
                cancellation.Cancel();
            }

            return FaultKind.None;
        });
        // After the report of iteration t come the calls of iteration t + 1, then the validation of its prompts.
        var progress = new SynchronousProgress(p => Volatile.Write(ref current, p.Iteration + 1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scenario.TrainAsync(trigger, options, run, progress, cancellation.Token));
        Assert.Equal(1, fired);

        await AssertCheckpointResumesAsync(scenario, world, options, run, uninterrupted, expectFile: true);
    }

    [Theory]
    [MemberData(nameof(Moments))]
    public async Task Cancelling_at_a_random_moment_leaves_a_checkpoint_that_resumes_to_the_uninterrupted_result(string name, int percent)
    {
        var scenario = FaultScenario.Get(name);
        using var world = new ScriptedWorldModel(scenario.Task);
        var options = scenario.Options with { SkipUpdateWhenBatchCorrect = false };
        var run = scenario.Run with { CheckpointPath = Path.Combine(_folder.Path, "run.json") };
        // Latency spikes spread the run over time (they change no result), so that a moment lands in any phase.
        var slowed = new FaultInjectingLanguageModel(world, FaultInjectingLanguageModel.Seeded(seed: 11, latencySpike: 0.2));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var uninterrupted = await scenario.TrainAsync(slowed, options);
        var moment = clock.Elapsed * percent / 100;

        using var cancellation = new CancellationTokenSource(moment);
        var reports = new List<int>();
        try
        {
            var finished = await scenario.TrainAsync(slowed, options, run, new SynchronousProgress(p => reports.Add(p.Iteration)), cancellation.Token);
            // The moment fell after the end of this (faster) run.
            output.WriteLine($"{name} at {moment.TotalMilliseconds:0} ms: the run had finished");
            Assert.Equal(RunRecord.Of(uninterrupted, accounting: false), RunRecord.Of(finished, accounting: false));
        }
        catch (OperationCanceledException)
        {
            output.WriteLine($"{name} at {moment.TotalMilliseconds:0} ms: cancelled after the report of iteration {(reports.Count > 0 ? reports[^1] : -1)}");
            // The first checkpoint is written after the initial validation, before iteration 1 starts.
            await AssertCheckpointResumesAsync(scenario, world, options, run, uninterrupted, expectFile: reports.Any(i => i >= 1));
        }
    }

    private async Task AssertCheckpointResumesAsync(FaultScenario scenario, ScriptedWorldModel world, VariationalTrainerOptions options, TrainingRunOptions run, TrainingResult uninterrupted, bool expectFile)
    {
        // Only the checkpoint: no temporary file of an interrupted write is left behind.
        var files = Directory.GetFiles(_folder.Path).Select(f => Path.GetFileName(f)).ToArray();
        if (!expectFile && files.Length == 0)
        {
            return;
        }

        Assert.Equal(new[] { "run.json" }, files);
        var checkpoint = await TrainingCheckpoint.LoadAsync(run.CheckpointPath!);
        Assert.InRange(checkpoint.IterationsCompleted, 0, options.Iterations);
        var resumed = await new VariationalTrainer(world, options, run).ResumeAsync(scenario.MakeNetwork(world), scenario.Train, scenario.Dev, checkpoint);
        Assert.Equal(RunRecord.Of(uninterrupted, accounting: false), RunRecord.Of(resumed, accounting: false));
    }
}
