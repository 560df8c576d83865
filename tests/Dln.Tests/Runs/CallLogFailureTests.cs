using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;
using DeepLanguageNetworks.Tests.Training;

namespace DeepLanguageNetworks.Tests.Runs;

/// <summary>
/// The call log is a record, never a cause of failure: a calls.jsonl that cannot be written (a full disk) stops with
/// one warning and costs no call, and a call log that cannot be closed does not hide the error that ended the run.
/// </summary>
public class CallLogFailureTests
{
    [Fact]
    public async Task A_call_log_on_a_full_disk_stops_with_one_warning_and_no_call_fails()
    {
        // /dev/full answers every write with ENOSPC, as a full disk does.
        Assert.True(File.Exists("/dev/full"), "the test needs /dev/full (Linux)");
        using var folder = new TempFolder();
        File.CreateSymbolicLink(Path.Combine(folder.Path, RunFolder.CallLogFileName), "/dev/full");
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var logs = new CapturingLoggerFactory();
        // The trainer's default decorators: the retry decorator would retry an IOException and then fail the call.
        var run = new TrainingRunOptions { RunDirectory = folder.Path, LogCalls = true };

        var result = await new VariationalTrainer(world, TrainingScenarios.Dln1Small, run, logs.CreateLogger("run")).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);
        var unlogged = await new VariationalTrainer(world, TrainingScenarios.Dln1Small).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);

        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.Equal(0, result.Usage.Total.Failures);
        Assert.Equal(RunRecord.Of(unlogged), RunRecord.Of(result));
        var warning = Assert.Single(logs.WithEventId(1505));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.IsAssignableFrom<IOException>(warning.Exception);
        Assert.True(File.Exists(Path.Combine(folder.Path, RunFolder.ReportFileName)));
    }

    [Fact]
    public async Task A_call_log_that_cannot_be_closed_does_not_hide_the_checkpoint_error_that_ended_the_run()
    {
        using var folder = new TempFolder();
        var blocker = folder.Write("not-a-folder", "a file where the checkpoint's folder should be");
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var logs = new CapturingLoggerFactory();
        var run = new TrainingRunOptions
        {
            RunDirectory = Path.Combine(folder.Path, "run"),
            CheckpointPath = Path.Combine(blocker, "checkpoint.json"),
            LogCalls = true,
        };
        var closes = 0;
        var trainer = new VariationalTrainer(world, TrainingScenarios.Dln1Small, run, logs.CreateLogger("run"))
        {
            OpenCallLog = (_, _) => new FailingCloseStream(() => Interlocked.Increment(ref closes)),
        };

        var error = await Assert.ThrowsAnyAsync<IOException>(() => trainer.TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev));

        // The error is the checkpoint's (its folder is a file), not the call log's.
        Assert.DoesNotContain(FailingCloseStream.Message, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, closes);
        var warning = Assert.Single(logs.WithEventId(1505));
        Assert.Contains(FailingCloseStream.Message, warning.Exception!.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream that takes every write and fails when it is closed, as a file whose last blocks cannot be written does.</summary>
    private sealed class FailingCloseStream(Action closed) : MemoryStream
    {
        public const string Message = "No space left on device (closing calls.jsonl)";

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                closed();
                throw new IOException(Message);
            }

            base.Dispose(disposing);
        }
    }
}
