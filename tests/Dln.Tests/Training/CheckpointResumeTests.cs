using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>A run stopped after k iterations and resumed from its checkpoint ends exactly like an uninterrupted run.</summary>
public sealed class CheckpointResumeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>
    /// Scenario, iteration after which the run is stopped, and whether the run uses the runtime decorators (cache,
    /// retries, concurrency limit), as it does by default.
    /// </summary>
    public static TheoryData<string, int, bool> Cases => new()
    {
        { "dln1", 1, true }, { "dln1", 2, true }, { "dln1", 3, true },
        { "dln2", 1, true }, { "dln2", 2, true }, { "dln2", 3, true },
        { "dln1", 2, false }, { "dln2", 2, false },
        { "graph", 1, true }, { "graph", 2, true }, { "graph", 3, true }, { "graph", 2, false },
        // Candidate racing and validations that stop early: a run with both resumes exactly like any other.
        { "dln1-racing", 1, true }, { "dln1-racing", 3, true }, { "dln2-racing", 2, true },
        { "dln1-racing", 2, false }, { "dln2-racing", 3, false },
        // A fan-in graph whose every node races (the output over both hidden posteriors).
        { "graph-racing", 1, true }, { "graph-racing", 2, false }, { "graph-racing", 3, true },
        // Noisy class scores and small batches: validations stop early and their bounds are in the checkpoint.
        { "dln1-noisy-racing", 3, false }, { "dln1-noisy-racing", 5, true },
        // The steeper hidden-layer schedule and the drop margin use no random number either.
        { "dln1-steep-racing", 2, true }, { "dln2-steep-racing", 2, true }, { "dln2-steep-racing", 3, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Resumed_run_equals_uninterrupted_run(string scenario, int stopAfter, bool runtimeDecorators)
    {
        var (world, makeNetwork, options, train, dev) = Scenario(scenario);
        using var _ = world;
        // Update on every batch, even when it is answered correctly, so the resumed iterations do real work
        // (proposals, posterior samples, memory) rather than skip.
        options = options with { SkipUpdateWhenBatchCorrect = false };
        var run = new TrainingRunOptions { RuntimeDecorators = runtimeDecorators ? RuntimeDecorators.All : RuntimeDecorators.None };

        var uninterruptedPath = Path.Combine(_folder.Path, "full.json");
        var full = await new VariationalTrainer(world, options, run with { CheckpointPath = uninterruptedPath }).TrainAsync(makeNetwork(), train, dev);
        var finalCheckpoint = await TrainingCheckpoint.LoadAsync(uninterruptedPath);
        Assert.Equal(options.Iterations, finalCheckpoint.IterationsCompleted);
        Assert.Equal(full.BestPrompts, finalCheckpoint.BestPrompts);

        var path = Path.Combine(_folder.Path, "stopped.json");
        var stopped = run with { CheckpointPath = path };
        using var cancellation = new CancellationTokenSource();
        var progress = new CancelAtIteration(stopAfter, cancellation);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new VariationalTrainer(world, options, stopped).TrainAsync(makeNetwork(), train, dev, progress, cancellation.Token));
        Assert.Equal(stopAfter, progress.Reports[^1].Iteration);

        var checkpoint = await TrainingCheckpoint.LoadAsync(path);
        Assert.InRange(checkpoint.IterationsCompleted, stopAfter - 1, stopAfter);
        Assert.True(checkpoint.IterationsCompleted < options.Iterations);

        var network = makeNetwork();
        var resumed = await new VariationalTrainer(world, options, stopped).ResumeAsync(network, train, dev, checkpoint);

        Assert.Equal(full.BestPrompts, resumed.BestPrompts);
        Assert.Equal(full.BestPrompts, network.Prompts);
        Assert.Equal(full.BestDevAccuracy, resumed.BestDevAccuracy);
        Assert.Equal(full.InitialDevAccuracy, resumed.InitialDevAccuracy);
        Assert.Equal(full.IterationsCompleted, resumed.IterationsCompleted);
        // The run's response cache lives in memory and is empty after a restart, so a resumed run pays again for
        // calls the uninterrupted run answered from its cache: calls and tokens are equal only without the cache.
        Assert.Equal(RunRecord.Of(full, accounting: !runtimeDecorators), RunRecord.Of(resumed, accounting: !runtimeDecorators));
        if (runtimeDecorators)
        {
            Assert.True(resumed.Calls >= full.Calls, $"resumed {resumed.Calls} calls, uninterrupted {full.Calls}");
        }
        Assert.All(resumed.History.Skip(checkpoint.IterationsCompleted + 1), h => Assert.NotEmpty(h.Updates));
        if (options.CandidateRacing is not null)
        {
            // The candidates really raced: some left before the whole batch.
            Assert.Contains(full.History.SelectMany(h => h.Updates).SelectMany(u => u.CandidateScores), c => c.ExamplesScored is not null);
        }

        if (scenario.Contains("noisy", StringComparison.Ordinal))
        {
            Assert.Contains(full.History, h => h.DevItemsEvaluated is not null);
        }
    }

    [Fact]
    public async Task Truncated_checkpoint_is_rejected_naming_the_file()
    {
        var (world, makeNetwork, options, train, dev) = Scenario("dln1");
        using var _ = world;
        var path = Path.Combine(_folder.Path, "run.checkpoint.json");
        await new VariationalTrainer(world, options with { Iterations = 2 }, new TrainingRunOptions { CheckpointPath = path }).TrainAsync(makeNetwork(), train, dev);
        var text = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, text[..(text.Length / 2)]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TrainingCheckpoint.LoadAsync(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _folder.Dispose();

    private static (ScriptedWorldModel World, Func<Dln> MakeNetwork, VariationalTrainerOptions Options, Example[] Train, Example[] Dev) Scenario(string name)
    {
        if (name == "dln1-noisy-racing")
        {
            var (noisyTrain, noisyDev, _) = NumberParityTask.Splits();
            var noisy = new ScriptedWorldModel(NumberParityTask.Instance);
            var model = new NoisyClassScoresModel(noisy);
            var options = TrainingScenarios.Dln1Small with
            {
                BatchSize = 4, PromptCandidates = 4, ValidationInterval = 1, Iterations = 8, Seed = 2,
                CandidateRacing = new CandidateRacingOptions(), StopValidationEarly = true, ValidationChunkSize = 4,
            };
            return (noisy, () => TrainingScenarios.NumberNetwork(model), options, noisyTrain, noisyDev);
        }

        if (name.EndsWith("-steep-racing", StringComparison.Ordinal))
        {
            var plain = Scenario(name[..^"-steep-racing".Length]);
            var steep = new CandidateRacingOptions { HiddenLayerFirstSliceFraction = 0.1, HiddenLayerKeepFraction = 0.2, DropMargin = 1.5 };
            return plain with { Options = plain.Options with { CandidateRacing = steep, StopValidationEarly = true, ValidationChunkSize = 8 } };
        }

        if (name.EndsWith("-racing", StringComparison.Ordinal))
        {
            var plain = Scenario(name[..^"-racing".Length]);
            return plain with { Options = plain.Options with { CandidateRacing = new CandidateRacingOptions(), StopValidationEarly = true, ValidationChunkSize = 8 } };
        }

        if (name == "dln1")
        {
            var (train, dev, _) = NumberParityTask.Splits();
            var world = new ScriptedWorldModel(NumberParityTask.Instance);
            return (world, () => TrainingScenarios.NumberNetwork(world), TrainingScenarios.Dln1Small, train, dev);
        }

        if (name == "graph")
        {
            var facts = TrainingScenarios.TwoFactsData();
            var graphWorld = new ScriptedWorldModel(TwoFactsTask.Instance);
            return (graphWorld, () => TrainingScenarios.TwoFactsGraph(graphWorld), TrainingScenarios.Dln2Small, facts.Train, facts.Dev);
        }

        var digits = TrainingScenarios.DigitSumData();
        var deepWorld = new ScriptedWorldModel(DigitSumTask.TwoStep);
        return (deepWorld, () => TrainingScenarios.DigitSumTwoLayer(deepWorld), TrainingScenarios.Dln2Small, digits.Train, digits.Dev);
    }
}
