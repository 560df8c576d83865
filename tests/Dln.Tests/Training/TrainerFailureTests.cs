using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// What a run does when backend calls fail: skip the iteration within the error budget, or stop cleanly. The injected
/// failures stand for calls that failed after the retry decorator gave up, so the runs go without runtime decorators.
/// </summary>
public class TrainerFailureTests(ITestOutputHelper output)
{
    private static readonly VariationalTrainerOptions Dln1 = TrainingScenarios.Dln1Small;
    private static readonly VariationalTrainerOptions Dln2 = TrainingScenarios.Dln2Small;
    private static readonly TrainingRunOptions Direct = new() { RuntimeDecorators = RuntimeDecorators.None };

    [Fact]
    public async Task A_failed_iteration_leaves_every_prompt_unchanged_even_after_a_layer_was_updated()
    {
        // The output layer is updated first; then every hidden-layer proposal fails in iterations 1 and 2.
        var (train, dev, _) = TrainingScenarios.DigitSumData();
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStepJoint);
        var iteration = 0;
        var backward = new FaultInjectingLanguageModel(
            world,
            r => Volatile.Read(ref iteration) <= 2 && r.Purpose == new CallPurpose(CallRole.Backward, 0) && r.Prompt.StartsWith(ContextParser.MetaPromptOpening, StringComparison.Ordinal),
            () => new HttpRequestException("503 Service Unavailable"));
        var progress = new SynchronousProgress(p => Volatile.Write(ref iteration, p.Iteration + 1));
        var network = TrainingScenarios.DigitSumTwoLayer(world);
        var initial = network.Prompts;

        var result = await new VariationalTrainer(backward, Dln2, Direct).TrainAsync(network, train, dev, progress);
        output.WriteLine(TrainingScenarios.Describe(result));

        var failed = result.History.Where(h => h.Error is not null).ToArray();
        Assert.Equal([1, 2], failed.Select(h => h.Iteration));
        Assert.All(failed, h =>
        {
            Assert.True(h.Skipped);
            Assert.Contains("503", h.Error, StringComparison.Ordinal);
            Assert.Equal(initial, h.Prompts);
        });
        // The next iteration starts from the initial prompts: its output-layer update scores them as the current one.
        var next = Assert.Single(result.History[3].Updates, u => u.Layer == 1);
        Assert.Equal(new CandidateScore(initial[1], CandidateOrigin.Current, next.CurrentScore), next.CandidateScores[0]);
        Assert.True(backward.Failures > 0);
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
    }

    [Fact]
    public async Task A_backend_timeout_counts_against_the_error_budget_instead_of_cancelling_the_run()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var iteration = 0;
        // HttpClient reports a timeout as TaskCanceledException although nobody cancelled the run.
        var backward = new FaultInjectingLanguageModel(world, _ => Volatile.Read(ref iteration) == 1, () => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing."));
        var progress = new SynchronousProgress(p => Volatile.Write(ref iteration, p.Iteration + 1));

        var result = await new VariationalTrainer(backward, Dln1, Direct).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev, progress);

        var failed = Assert.Single(result.History, h => h.Error is not null);
        Assert.Equal(1, failed.Iteration);
        Assert.Contains("Timeout", failed.Error, StringComparison.Ordinal);
        Assert.Equal(Dln1.Iterations, result.IterationsCompleted);
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
    }

    [Fact]
    public async Task Cancelling_the_run_still_cancels_it()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        using var cancellation = new CancellationTokenSource();
        var progress = new CancelAtIteration(0, cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new VariationalTrainer(world, Dln1, Direct).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev, progress, cancellation.Token));
        Assert.Equal([0], progress.Reports.Select(r => r.Iteration));
    }

    [Fact]
    public async Task More_failed_iterations_than_the_budget_stop_training_with_the_last_error()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var backward = new FaultInjectingLanguageModel(world, _ => true, () => new HttpRequestException("connection refused"));
        var network = TrainingScenarios.NumberNetwork(world);

        var error = await Assert.ThrowsAsync<TrainingFailedException>(() =>
            new VariationalTrainer(backward, Dln1, Direct with { MaxFailedIterations = 2 }).TrainAsync(network, train, dev));

        Assert.Contains("MaxFailedIterations", error.Message, StringComparison.Ordinal);
        Assert.Contains("iteration 3", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(3, backward.Failures / (Dln1.PromptCandidates - 1));
        Assert.Equal([TrainingScenarios.UninformativePrompt], network.Prompts);
    }

    [Fact]
    public async Task A_budget_refusal_during_a_validation_keeps_the_checkpoint_that_resumes_correctly()
    {
        // The hard limit refuses the calls of the validation at the start of pass 2 (which measures iteration 2's prompts).
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var iteration = 0;
        var limited = new FaultInjectingLanguageModel(world, (purpose, _) => purpose.Role == CallRole.Evaluation && Volatile.Read(ref iteration) >= 2, () => new BudgetExceededException("The usage budget of 500 calls is spent."));
        var progress = new SynchronousProgress(p => Volatile.Write(ref iteration, p.Iteration + 1));
        using var folder = new Data.TempFolder();
        var options = Dln1 with { SkipUpdateWhenBatchCorrect = false };
        var run = Direct with { CheckpointPath = Path.Combine(folder.Path, "run.json") };

        var result = await new VariationalTrainer(limited, options, run).TrainAsync(TrainingScenarios.NumberNetwork(limited), train, dev, progress);

        Assert.Contains("500 calls", result.StopReason, StringComparison.Ordinal);
        Assert.Equal(2, result.IterationsCompleted);
        Assert.Null(result.History[2].DevAccuracy);
        // The checkpoint still stands before iteration 2, so a resume runs it again and validates it.
        var checkpoint = await TrainingCheckpoint.LoadAsync(run.CheckpointPath!);
        Assert.Equal(1, checkpoint.IterationsCompleted);
        var resumed = await new VariationalTrainer(world, options, run).ResumeAsync(TrainingScenarios.NumberNetwork(world), train, dev, checkpoint);
        var uninterrupted = await new VariationalTrainer(world, options, Direct).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);
        Assert.NotNull(resumed.History[2].DevAccuracy);
        Assert.Equal(RunRecord.Of(uninterrupted, accounting: false), RunRecord.Of(resumed, accounting: false));
    }

    [Fact]
    public async Task A_spent_budget_stops_training_with_a_reason_and_the_best_prompts()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var iteration = 0;
        var backward = new FaultInjectingLanguageModel(world, _ => Volatile.Read(ref iteration) >= 3, () => new BudgetExceededException("The usage budget of 1000 calls is spent."));
        var progress = new SynchronousProgress(p => Volatile.Write(ref iteration, p.Iteration + 1));
        var network = TrainingScenarios.NumberNetwork(world);
        using var folder = new Data.TempFolder();
        var options = Dln1 with { SkipUpdateWhenBatchCorrect = false };
        var run = Direct with { CheckpointPath = Path.Combine(folder.Path, "run.json") };

        var result = await new VariationalTrainer(backward, options, run).TrainAsync(network, train, dev, progress);
        output.WriteLine(TrainingScenarios.Describe(result));

        Assert.NotNull(result.StopReason);
        Assert.Contains("budget", result.StopReason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, result.IterationsCompleted);
        Assert.Equal(3, result.History.Count);
        Assert.Equal(result.BestPrompts, network.Prompts);
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");

        // The checkpoint left behind continues the run, once the budget allows, to the prompts of a run that never stopped.
        var checkpoint = await TrainingCheckpoint.LoadAsync(run.CheckpointPath!);
        Assert.Equal(2, checkpoint.IterationsCompleted);
        var resumed = await new VariationalTrainer(world, options, run).ResumeAsync(TrainingScenarios.NumberNetwork(world), train, dev, checkpoint);
        var uninterrupted = await new VariationalTrainer(world, options, Direct).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);
        Assert.Null(resumed.StopReason);
        Assert.Equal(RunRecord.Of(uninterrupted, accounting: false), RunRecord.Of(resumed, accounting: false));
        // The calls the refused iteration made before the refusal were paid for, and stay counted.
        Assert.True(resumed.Calls > uninterrupted.Calls, $"resumed {resumed.Calls} calls, uninterrupted {uninterrupted.Calls}");
    }
}
