using System.Globalization;
using Spectre.Console;

namespace DeepLanguageNetworks.Samples.Benchmark;

/// <summary>
/// Runs the planned runs one after another and shows how far they are: Spectre.Console progress bars (all runs, and
/// the current run's validations and iterations) on an interactive terminal; plain lines when the output is redirected
/// (a CI log or a file), where a redrawn bar would only add noise.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="plan"/> in order and returns the outcomes.</summary>
    /// <param name="plan">The runs.</param>
    /// <param name="iterations">Training iterations of the training methods (the bar length).</param>
    /// <param name="execute">Runs one; receives the trainer's reports.</param>
    /// <param name="interactive">Progress bars (true) or plain lines.</param>
    /// <param name="cancellationToken">Stops before the next run.</param>
    /// <returns>One outcome per run that was started.</returns>
    public static async Task<List<RunOutcome>> RunAsync(
        IReadOnlyList<PlannedRun> plan,
        int iterations,
        Func<PlannedRun, IProgress<TrainingProgress>, Task<RunOutcome>> execute,
        bool interactive,
        CancellationToken cancellationToken)
    {
        var outcomes = new List<RunOutcome>(plan.Count);
        if (!interactive)
        {
            for (var i = 0; i < plan.Count && !cancellationToken.IsCancellationRequested; i++)
            {
                Console.WriteLine($"[{i + 1}/{plan.Count}] {plan[i].Label}");
                var outcome = await execute(plan[i], new LineProgress()).ConfigureAwait(false);
                outcomes.Add(outcome);
                Console.WriteLine("  " + Describe(outcome));
            }

            return outcomes;
        }

        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var all = context.AddTask($"{plan.Count} runs", maxValue: plan.Count);
                foreach (var run in plan)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }

                    // One step for the dev validation of the initial prompts, one per iteration, one for the test set.
                    var steps = (run.Method.Trains ? iterations : 0) + 2;
                    var current = context.AddTask(Markup.Escape(run.Label), maxValue: steps);
                    var outcome = await execute(run, new BarProgress(current)).ConfigureAwait(false);
                    current.Value = steps;
                    current.StopTask();
                    outcomes.Add(outcome);
                    AnsiConsole.MarkupLine(Markup.Escape(Describe(outcome)));
                    all.Increment(1);
                }
            }).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>One line about a finished run.</summary>
    /// <param name="o">The outcome.</param>
    /// <returns>The line.</returns>
    public static string Describe(RunOutcome o)
    {
        var label = $"{o.Task} {o.Method} seed {o.Seed}";
        return o.Status switch
        {
            RunStatus.Completed => string.Format(
                CultureInfo.InvariantCulture,
                "{0}: test {1:P1} (dev {2:P1}); training {3:N0} calls, {4:N0} tokens; test {5:N0} calls, {6:N0} tokens; {7:F1} s",
                label, o.TestAccuracy, o.DevAccuracy, o.TrainCalls, o.TrainTokens, o.TestCalls, o.TestTokens, o.Seconds),
            RunStatus.NotSupported => $"{label}: not supported by this backend: {o.Error}",
            _ => $"{label}: FAILED: {o.Error}",
        };
    }

    /// <summary>Prints each trainer report on its own indented line, synchronously.</summary>
    private sealed class LineProgress : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => Console.WriteLine("    " + ConsoleProgress.Format(value));
    }

    /// <summary>Moves a bar to the reported iteration (the initial validation is step 1).</summary>
    private sealed class BarProgress(ProgressTask task) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => task.Value = Math.Min(task.MaxValue - 1, value.Iteration + 1);
    }
}
