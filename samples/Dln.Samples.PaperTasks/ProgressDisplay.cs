using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DeepLanguageNetworks.Samples.Benchmark;

/// <summary>
/// Runs the planned runs one after another and shows how far they are. On an interactive terminal a Spectre.Console
/// live view: all runs (a bar and the finished runs' results), and the current run's <see cref="TrainingView"/> (its
/// iteration, the phase at work with its calls done out of planned, its dev curve, calls, tokens and cost). When the
/// output is redirected (a CI log or a file), plain lines, where a redrawn view would only add noise: one per run, one
/// per iteration, one per finished phase.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="plan"/> in order and returns the outcomes.</summary>
    /// <param name="plan">The runs.</param>
    /// <param name="execute">Runs one; receives the trainer's reports of finished iterations and of the phases at work.</param>
    /// <param name="interactive">The live view (true) or plain lines.</param>
    /// <param name="cancellationToken">Stops before the next run.</param>
    /// <returns>One outcome per run that was started.</returns>
    public static async Task<List<RunOutcome>> RunAsync(
        IReadOnlyList<PlannedRun> plan,
        Func<PlannedRun, IProgress<TrainingProgress>, IProgress<TrainingActivity>, Task<RunOutcome>> execute,
        bool interactive,
        CancellationToken cancellationToken)
    {
        var outcomes = new List<RunOutcome>(plan.Count);
        if (!interactive)
        {
            for (var i = 0; i < plan.Count && !cancellationToken.IsCancellationRequested; i++)
            {
                Console.WriteLine($"[{i + 1}/{plan.Count}] {plan[i].Label}");
                var lines = new TrainingConsole(plan[i].Label, interactive: false, writer: new IndentedWriter(Console.Out, "    "));
                var outcome = await execute(plan[i], lines, lines).ConfigureAwait(false);
                outcomes.Add(outcome);
                Console.WriteLine("  " + Describe(outcome));
            }

            return outcomes;
        }

        var finished = new List<string>();
        TrainingView? current = null;
        var index = 0;
        IRenderable Render()
        {
            var rows = new List<IRenderable>
            {
                new Markup(string.Format(CultureInfo.InvariantCulture, "[bold]runs[/] {0}/{1}  {2}", Math.Min(index + 1, plan.Count), plan.Count, Bar(plan.Count == 0 ? 1 : (double)index / plan.Count))),
            };
            lock (finished)
            {
                rows.AddRange(finished.TakeLast(12).Select(line => new Markup("  " + Markup.Escape(line))));
            }

            if (current is { } view)
            {
                rows.Add(new Panel(view.Render()) { Border = BoxBorder.Rounded, Expand = true });
            }

            return new Rows(rows);
        }

        var live = AnsiConsole.Live(Render());
        live.AutoClear = false;
        await live.StartAsync(async context =>
        {
            for (; index < plan.Count && !cancellationToken.IsCancellationRequested; index++)
            {
                var view = new TrainingView(plan[index].Label);
                current = view;
                var task = execute(plan[index], view, view);
                while (!task.IsCompleted)
                {
                    context.UpdateTarget(Render());
                    await Task.WhenAny(task, Task.Delay(100)).ConfigureAwait(false);
                }

                var outcome = await task.ConfigureAwait(false);
                outcomes.Add(outcome);
                lock (finished)
                {
                    finished.Add(Describe(outcome));
                }
            }

            current = null;
            context.UpdateTarget(Render());
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

    private static string Bar(double fraction)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 30);
        return "[green]" + new string('━', filled) + "[/][grey]" + new string('━', 30 - filled) + "[/]";
    }

    /// <summary>Writes every line with an indent (the plain lines of one run under its heading).</summary>
    private sealed class IndentedWriter(TextWriter inner, string indent) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void WriteLine(string? value) => inner.WriteLine(indent + value);

        public override void Write(char value) => inner.Write(value);
    }
}
