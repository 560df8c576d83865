using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks;

/// <summary>Writes the trainer's structured log messages (<see cref="TrainerLog"/>) as the session goes.</summary>
internal sealed class LoggingObserver(ILogger logger) : TrainingObserver
{
    public override Task RunStartingAsync(TrainingRunInfo run, IReadOnlyList<TrainingProgress> history, CancellationToken cancellationToken)
    {
        if (run.ResumedFrom is { } checkpoint)
        {
            TrainerLog.Resumed(logger, run.CheckpointPath ?? "(in memory)", checkpoint.IterationsCompleted);
        }

        var o = run.Options;
        TrainerLog.TrainingStarted(logger, run.Network.Depth, o.Iterations, o.BatchSize, o.PromptCandidates, run.Plan.Scoring, o.Seed);
        if (run.OverlongInputs is { Count: > 0 } overlong)
        {
            var handling = overlong.All(x => x.Truncated) ? "truncated" : overlong.Any(x => x.Truncated) ? "truncated or skipped" : "skipped";
            TrainerLog.OverlongInputs(logger, overlong.Count, handling, string.Join("; ", overlong.Take(10)) + (overlong.Count > 10 ? $"; and {overlong.Count - 10} more" : ""));
        }

        return Task.CompletedTask;
    }

    public override void StepCompleted(TrainingProgress report)
    {
        var proposalOverflows = report.Updates.Sum(u => u.Proposals.ContextOverflows);
        if (report.ContextOverflows > 0 || proposalOverflows > 0)
        {
            TrainerLog.ContextOverflows(logger, report.Iteration, report.ContextOverflows, proposalOverflows);
        }

        if (report.Skipped)
        {
            TrainerLog.UpdateSkipped(logger, report.Iteration);
            return;
        }

        foreach (var u in report.Updates)
        {
            TrainerLog.LayerUpdated(logger, report.Iteration, u.Layer, OriginName(u.SelectedOrigin), u.SelectedScore, u.CurrentScore, u.Candidates);
        }

        TrainerLog.IterationCompleted(logger, report.Iteration, report.TotalIterations, report.BatchAccuracy ?? 0, report.Elbo, report.Calls, report.Tokens);
    }

    public override void FailureCounted(string step, int failures, int allowed, string error) =>
        TrainerLog.StepFailed(logger, step, failures, allowed, error);

    public override void Validated(ValidationOutcome outcome)
    {
        if (outcome.ContextOverflows > 0)
        {
            TrainerLog.DevContextOverflows(logger, outcome.Iteration, outcome.ContextOverflows);
        }

        if (outcome.Backtracked)
        {
            TrainerLog.Backtracked(logger, outcome.Iteration, outcome.ValidationsWithoutImprovement, outcome.BestDevAccuracy);
        }

        if (outcome.ItemsEvaluated is { } items)
        {
            TrainerLog.ValidationStopped(logger, outcome.Iteration, items, outcome.BestDevAccuracy);
        }
        else
        {
            TrainerLog.Validated(logger, outcome.Iteration, outcome.DevAccuracy ?? 0, outcome.BestDevAccuracy);
        }
    }

    public override void Stopped(string reason) => TrainerLog.TrainingStopped(logger, reason);

    public override Task RunCompletedAsync(TrainingResult result)
    {
        TrainerLog.TrainingFinished(logger, result.IterationsCompleted, result.BestDevAccuracy);
        return Task.CompletedTask;
    }

    // Lower case, as the messages have always read ("keeps a proposal prompt").
    internal static string OriginName(CandidateOrigin origin) => origin switch
    {
        CandidateOrigin.Current => "current",
        CandidateOrigin.Memory => "memory",
        _ => "proposal",
    };
}
