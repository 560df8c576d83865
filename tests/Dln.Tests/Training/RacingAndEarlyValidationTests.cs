using DeepLanguageNetworks.Tests.Fakes;
using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// Candidate racing and validations that stop early, end to end on the scripted world: racing still learns with far
/// fewer scoring calls; a validation that stops early decides exactly what the full one would, with fewer dev calls.
/// </summary>
public class RacingAndEarlyValidationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("dln1")]
    [InlineData("dln2")]
    public async Task Racing_learns_the_task_with_fewer_scoring_calls(string scenario)
    {
        var faithful = await RunAsync(scenario, o => o);
        var racing = await RunAsync(scenario, o => o with { CandidateRacing = new CandidateRacingOptions() });
        output.WriteLine($"faithful: {faithful.Result.Usage}\nracing: {racing.Result.Usage}\n{TrainingScenarios.Describe(racing.Result)}");

        Assert.Equal(1.0, racing.Result.BestDevAccuracy);
        Assert.True(racing.Test >= 0.9, $"test accuracy {racing.Test}");
        var faithfulScoring = faithful.Result.Usage.For(CallRole.Scoring).Requests;
        var racingScoring = racing.Result.Usage.For(CallRole.Scoring).Requests;
        Assert.True(racingScoring < 0.75 * faithfulScoring, $"racing asked {racingScoring} scores, faithful {faithfulScoring}");

        // Every update raced: the winner is the best of the last round, the current prompt ran in every round, and
        // some candidates left after the first slice.
        var updates = racing.Result.History.SelectMany(h => h.Updates).ToArray();
        Assert.NotEmpty(updates);
        var batch = TrainingScenarios.Dln1Small.BatchSize;
        Assert.All(updates, u =>
        {
            static int Examples(CandidateScore c, int batch) => c.ExamplesScored ?? batch;
            var last = u.CandidateScores.Max(c => Examples(c, batch));
            var finalists = u.CandidateScores.Select((c, i) => (c, i)).Where(x => Examples(x.c, batch) == last).ToArray();
            Assert.Equal(finalists[PromptSelector.ArgMax(finalists.Select(x => x.c.Score).ToArray())].i, u.SelectedIndex);
            Assert.Equal(last, Examples(u.CandidateScores[0], batch));
        });
        Assert.Contains(updates.SelectMany(u => u.CandidateScores), c => c.ExamplesScored == new CandidateRacingOptions().FirstSlice(batch));
    }

    [Theory]
    [InlineData("dln1", 2)]
    [InlineData("dln1", 3)]
    [InlineData("dln1", 4)]
    [InlineData("dln2", 2)]
    [InlineData("dln2", 4)]
    public async Task A_validation_that_stops_early_selects_what_the_full_validation_selects(string scenario, int seed)
    {
        // Small batches on a world with noisy class scores, every iteration validated and updated: the selection on the
        // batch sometimes keeps prompts that are worse on dev than the best, whose validations can stop early.
        VariationalTrainerOptions Shape(VariationalTrainerOptions o) => o with
        {
            BatchSize = 4, PromptCandidates = 4, ValidationInterval = 1, SkipUpdateWhenBatchCorrect = false, Seed = seed, Iterations = 10,
        };
        var full = await RunAsync(scenario, Shape, noisy: true);
        var stopping = await RunAsync(scenario, o => Shape(o) with { StopValidationEarly = true, ValidationChunkSize = 4 }, noisy: true);
        output.WriteLine($"full:\n{TrainingScenarios.Describe(full.Result)}\nstopping:\n{TrainingScenarios.Describe(stopping.Result)}");

        // The same choices: best prompts, best dev accuracy, every iteration's prompts, every backtrack, every update.
        Assert.Equal(full.Result.BestPrompts, stopping.Result.BestPrompts);
        Assert.Equal(full.Result.BestDevAccuracy, stopping.Result.BestDevAccuracy);
        Assert.Equal(full.Result.History.Select(h => h.Prompts), stopping.Result.History.Select(h => h.Prompts));
        Assert.Equal(full.Result.History.Select(h => h.Backtracked), stopping.Result.History.Select(h => h.Backtracked));
        Assert.Equal(full.Result.History.Select(h => h.BestDevAccuracy), stopping.Result.History.Select(h => h.BestDevAccuracy));
        Assert.Equal(RunRecord.Of(full.Result.History.Select(h => h with { DevAccuracy = null, Calls = 0, Tokens = 0 })), RunRecord.Of(stopping.Result.History.Select(h => h with { DevAccuracy = null, DevItemsEvaluated = null, Calls = 0, Tokens = 0 })));
        Assert.Equal(full.Test, stopping.Test);

        // Fewer dev calls, and the reports say which validations stopped and after how many items.
        var stopped = stopping.Result.History.Where(h => h.DevItemsEvaluated is not null).ToArray();
        Assert.NotEmpty(stopped);
        var devSize = full.DevSize;
        Assert.All(stopped, h => Assert.InRange(h.DevItemsEvaluated!.Value, 0, devSize - 1));
        Assert.All(stopped, h => Assert.True(h.DevAccuracy is null || h.DevAccuracy <= h.BestDevAccuracy));
        Assert.True(
            stopping.Result.Usage.For(CallRole.Evaluation).Requests < full.Result.Usage.For(CallRole.Evaluation).Requests,
            $"stopping {stopping.Result.Usage.For(CallRole.Evaluation).Requests} dev requests, full {full.Result.Usage.For(CallRole.Evaluation).Requests}");

        // A full validation is reported as before: its accuracy, no item count.
        foreach (var (f, s) in full.Result.History.Zip(stopping.Result.History).Where(p => p.Second.DevItemsEvaluated is null))
        {
            Assert.Equal(f.DevAccuracy, s.DevAccuracy);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_validation_that_stops_early_bounds_the_accuracy_over_the_dev_items_that_fit(bool laterItemsWrong)
    {
        // Ten dev items, the first four too long for the context window, the best so far 0.75, chunks of four. After
        // the first chunk (all four left out) the prompts could still reach 6/6: a bound over all ten items (6/10)
        // would stop there and miss a new best.
        string[] targets = laterItemsWrong ? ["yes", "yes", "yes", "yes", "no", "no", "yes", "yes", "yes", "yes"] : [.. Enumerable.Repeat("yes", 10)];
        Example[] dev = [.. targets.Select((t, i) => new Example(i < 4 ? $"long item {i}" : $"item {i}", t))];
        var outcomes = new List<(ValidationOutcome Outcome, double? Best)>();
        foreach (var stopEarly in new[] { false, true })
        {
            using var model = new ScriptedLanguageModel();
            model.OnGenerate = r => r.Prompt.Contains("long item", StringComparison.Ordinal)
                ? throw new LanguageModelException("The context is too long.") { Kind = LanguageModelErrorKind.ContextLengthExceeded }
                : new GenerationResponse("yes", LanguageModelUsage.Zero);
            var network = Dln.CreateOneLayer(model, "p0", OutputSpace.FreeText());
            var options = VariationalTrainerOptions.Dln1 with { StopValidationEarly = stopEarly, ValidationChunkSize = 4 };
            var state = new TrainingState(network, options.MemorySize, new UsageTracker()) { BestDevAccuracy = 0.75 };
            var tracker = new ValidationTracker(state, new TrainingData(dev, dev, network.OutputLayer.OutputSpace, options), options, options.Metric, new ObserverList([]));
            outcomes.Add((await tracker.ValidateAsync(1, CancellationToken.None), state.BestDevAccuracy));
            Assert.Equal(stopEarly && laterItemsWrong ? 4 : 6, model.Generations.Count(g => !g.Prompt.Contains("long item", StringComparison.Ordinal)));
        }

        var (full, stopped) = (outcomes[0], outcomes[1]);
        Assert.Equal(full.Best, stopped.Best);
        Assert.Equal(4, full.Outcome.ContextOverflows);
        Assert.Equal(4, stopped.Outcome.ContextOverflows);
        if (laterItemsWrong)
        {
            // 4/6 at most once two of the first four that fit are wrong: stopped after eight items, the best kept.
            Assert.Equal(4 / 6.0, full.Outcome.DevAccuracy);
            Assert.Equal(0.75, stopped.Best);
            Assert.Equal(8, stopped.Outcome.ItemsEvaluated);
            Assert.Equal(0.5, stopped.Outcome.DevAccuracy);
            Assert.Equal(1, stopped.Outcome.ValidationsWithoutImprovement);
        }
        else
        {
            Assert.Equal(1.0, stopped.Best);
            Assert.Null(stopped.Outcome.ItemsEvaluated);
            Assert.Equal(1.0, stopped.Outcome.DevAccuracy);
        }
    }

    [Fact]
    public void The_faithful_presets_neither_race_nor_stop_validations_and_the_chunk_size_is_checked()
    {
        Assert.False(VariationalTrainerOptions.Dln1.StopValidationEarly);
        Assert.False(VariationalTrainerOptions.Dln2.StopValidationEarly);
        Assert.Null(VariationalTrainerOptions.Dln2.CandidateRacing);
        Assert.Equal(16, VariationalTrainerOptions.Dln1.ValidationChunkSize);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => VariationalTrainerOptions.Dln1 with { ValidationChunkSize = 0 });
        Assert.Equal(nameof(VariationalTrainerOptions.ValidationChunkSize), error.ParamName);
    }

    private static async Task<(TrainingResult Result, double Test, int DevSize)> RunAsync(string scenario, Func<VariationalTrainerOptions, VariationalTrainerOptions> shape, bool noisy = false)
    {
        if (scenario == "dln1")
        {
            var (train, dev, test) = NumberParityTask.Splits();
            using var world = new ScriptedWorldModel(NumberParityTask.Instance);
            using var model = noisy ? new NoisyClassScoresModel(world) : (ILanguageModel)new DelegatingWorld(world);
            var network = TrainingScenarios.NumberNetwork(model);
            var result = await new VariationalTrainer(model, shape(TrainingScenarios.Dln1Small)).TrainAsync(network, train, dev);
            return (result, (await network.EvaluateAsync(test)).Accuracy, dev.Length);
        }

        var (dtrain, ddev, dtest) = TrainingScenarios.DigitSumData();
        using var deepWorld = new ScriptedWorldModel(DigitSumTask.TwoStep);
        using var deepModel = noisy ? new NoisyClassScoresModel(deepWorld) : (ILanguageModel)new DelegatingWorld(deepWorld);
        var deep = TrainingScenarios.DigitSumTwoLayer(deepModel);
        var deepResult = await new VariationalTrainer(deepModel, shape(TrainingScenarios.Dln2Small)).TrainAsync(deep, dtrain, ddev);
        return (deepResult, (await deep.EvaluateAsync(dtest)).Accuracy, ddev.Length);
    }

    /// <summary>The world as it is.</summary>
    private sealed class DelegatingWorld(ILanguageModel world) : DelegatingLanguageModel(world);
}
