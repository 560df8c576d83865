using System.Text.Json;
using System.Text.RegularExpressions;
using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;
using DeepLanguageNetworks.Tests.Training;

namespace DeepLanguageNetworks.Tests.Reliability;

/// <summary>
/// A backend that goes down for good: every call fails after its retries, training stops once the error budget is
/// spent, the error says what failed and how often, and the checkpoint on disk is the last good state.
/// </summary>
public sealed partial class PermanentFailureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_backend_that_goes_down_stops_training_after_the_error_budget_with_the_last_good_checkpoint()
    {
        var scenario = FaultScenario.Dln1;
        var options = scenario.Options;
        var run = scenario.Run with
        {
            MaxFailedIterations = 2,
            Retry = new LanguageModelRetryOptions { MaxRetryAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1), UseJitter = false },
            CheckpointPath = Path.Combine(_folder.Path, "run.json"),
        };
        using var world = new ScriptedWorldModel(scenario.Task);

        // The same run on a healthy backend, with its checkpoint after iteration 2 kept aside: at the report of
        // iteration 3 the file still holds the state written after iteration 2.
        var goodState = Path.Combine(_folder.Path, "after-iteration-2.json");
        var healthyRun = run with { CheckpointPath = Path.Combine(_folder.Path, "healthy.json") };
        await scenario.TrainAsync(world, options, healthyRun, new SynchronousProgress(p =>
        {
            if (p.Iteration == 3)
            {
                File.Copy(healthyRun.CheckpointPath!, goodState);
            }
        }));

        // The backend goes down for good once iteration 2 is reported.
        var down = 0;
        var backend = new FaultInjectingLanguageModel(world, _ => Volatile.Read(ref down) == 1 ? FaultKind.Permanent : FaultKind.None);
        var reports = new List<TrainingProgress>();
        var progress = new SynchronousProgress(p =>
        {
            reports.Add(p);
            if (p.Iteration == 2)
            {
                Volatile.Write(ref down, 1);
            }
        });

        var error = await Assert.ThrowsAsync<TrainingFailedException>(() => scenario.TrainAsync(backend, options, run, progress));

        // Iterations 3 and 4 failed and were skipped; iteration 5 spent the budget.
        Assert.Equal([3, 4], reports.Where(r => r.Error is not null).Select(r => r.Iteration));
        Assert.Contains("3 failures", error.Message, StringComparison.Ordinal);
        Assert.Contains("error budget of 2 (MaxFailedIterations)", error.Message, StringComparison.Ordinal);
        Assert.Contains("iteration 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("HttpRequestException: Connection refused", error.Message, StringComparison.Ordinal);
        var failedCalls = int.Parse(FailedCalls().Match(error.Message).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(failedCalls, 3, backend.Failures / 3); // each failed call was attempted 3 times (2 retries)
        Assert.IsType<HttpRequestException>(error.InnerException);

        // The checkpoint holds the state after iteration 2, plus the two skipped iterations.
        var checkpoint = await TrainingCheckpoint.LoadAsync(run.CheckpointPath!);
        var good = await TrainingCheckpoint.LoadAsync(goodState);
        Assert.Equal(2, good.IterationsCompleted);
        Assert.Equal(4, checkpoint.IterationsCompleted);
        Assert.Equal(2, checkpoint.FailedIterations);
        Assert.Equal(good.Prompts, checkpoint.Prompts);
        Assert.Equal(good.BestPrompts, checkpoint.BestPrompts);
        Assert.Equal(good.BestDevAccuracy, checkpoint.BestDevAccuracy);
        Assert.Equal(JsonSerializer.Serialize(good.Memory), JsonSerializer.Serialize(checkpoint.Memory));
        Assert.Equal(JsonSerializer.Serialize(good.DevAccuracies), JsonSerializer.Serialize(checkpoint.DevAccuracies));
        Assert.Equal(RunRecord.Of(good.History, accounting: false), RunRecord.Of(checkpoint.History.Take(3), accounting: false));
        Assert.All(checkpoint.History.Skip(3), h =>
        {
            Assert.True(h.Skipped);
            Assert.Contains("Connection refused", h.Error, StringComparison.Ordinal);
            Assert.Equal(good.Prompts, h.Prompts);
        });

        // Once the backend is back, the run continues from that checkpoint to the end.
        Volatile.Write(ref down, 0);
        var resumed = await new VariationalTrainer(backend, options, run).ResumeAsync(scenario.MakeNetwork(backend), scenario.Train, scenario.Dev, checkpoint);
        Assert.Equal(options.Iterations, resumed.IterationsCompleted);
        Assert.Equal([3, 4], resumed.History.Where(h => h.Error is not null).Select(h => h.Iteration));
    }

    [Fact]
    public async Task A_backend_that_is_down_from_the_start_fails_the_validations_within_the_error_budget()
    {
        var scenario = FaultScenario.Dln1;
        var run = scenario.Run with
        {
            MaxFailedIterations = 1,
            Retry = new LanguageModelRetryOptions { MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(1) },
            CheckpointPath = Path.Combine(_folder.Path, "down.json"),
        };
        using var world = new ScriptedWorldModel(scenario.Task);
        var backend = new FaultInjectingLanguageModel(world, _ => FaultKind.Permanent, () => new LanguageModelException("HTTP 502 Bad Gateway") { Kind = LanguageModelErrorKind.ServerError, StatusCode = 502 });

        var error = await Assert.ThrowsAsync<TrainingFailedException>(() => scenario.TrainAsync(backend, run: run));

        // The initial validation failed first, then iteration 1 spent the budget of one failure.
        Assert.Contains("2 failures", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 502 Bad Gateway", error.Message, StringComparison.Ordinal);
        var checkpoint = await TrainingCheckpoint.LoadAsync(run.CheckpointPath!);
        Assert.Equal(0, checkpoint.IterationsCompleted);
        Assert.Equal(1, checkpoint.FailedIterations);
        var initial = Assert.Single(checkpoint.History);
        Assert.Null(initial.DevAccuracy);
        Assert.Contains("Validation failed", initial.Error, StringComparison.Ordinal);
        Assert.Equal([TrainingScenarios.UninformativePrompt], checkpoint.Prompts);
    }

    [GeneratedRegex(@"(\d+) backend calls failed")]
    private static partial Regex FailedCalls();
}
