using System.Diagnostics;

namespace DeepLanguageNetworks.Samples;

/// <summary>
/// The samples' training display. On an interactive terminal a Spectre.Console live view (<see cref="TrainingView"/>)
/// redrawn ten times a second: iteration, phase with its calls done out of planned, dev curve, calls, tokens and cost.
/// When the output is redirected (a CI log, a file), plain lines instead: one per iteration, one per finished phase, and
/// one every 30 seconds while a long phase runs. Give it to the trainer twice: as
/// <see cref="TrainingRunOptions.ActivityProgress"/> and as the progress of <c>TrainAsync</c>.
/// </summary>
public sealed class TrainingConsole : IProgress<TrainingProgress>, IProgress<TrainingActivity>
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);
    private readonly object _gate = new();
    private readonly TextWriter _writer;
    private readonly TrainingView _view;
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();

    /// <summary>Creates the display.</summary>
    /// <param name="title">The live view's first line.</param>
    /// <param name="interactive">Live view (true) or plain lines; <see langword="null"/> decides from the console.</param>
    /// <param name="writer">Where plain lines go; standard output by default.</param>
    public TrainingConsole(string title, bool? interactive = null, TextWriter? writer = null)
    {
        _view = new TrainingView(title);
        _writer = writer ?? Console.Out;
        IsInteractive = interactive ?? IsTerminal();
    }

    /// <summary>Whether the live view is shown (rather than plain lines).</summary>
    public bool IsInteractive { get; }

    /// <summary>The state behind the live view.</summary>
    public TrainingView View => _view;

    /// <summary>Whether standard output is an interactive terminal that can redraw a live view.</summary>
    /// <returns>True for a terminal, false when redirected.</returns>
    public static bool IsTerminal() => Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Runs <paramref name="work"/> (the training) with the display: the live view stays on screen afterwards.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="work">The work.</param>
    /// <returns>Its result.</returns>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!IsInteractive)
        {
            return await work().ConfigureAwait(false);
        }

        var task = work();
        var live = Spectre.Console.AnsiConsole.Live(_view.Render());
        live.AutoClear = false;
        await live.StartAsync(async context =>
        {
            while (!task.IsCompleted)
            {
                context.UpdateTarget(_view.Render());
                await Task.WhenAny(task, Task.Delay(100)).ConfigureAwait(false);
            }

            context.UpdateTarget(_view.Render());
        }).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        _view.Report(value);
        if (!IsInteractive)
        {
            WriteLine(ConsoleProgress.Format(value));
        }
    }

    /// <inheritdoc />
    public void Report(TrainingActivity value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _view.Report(value);
        if (!IsInteractive && (value.IsCompleted || _sinceLine.Elapsed >= Heartbeat))
        {
            WriteLine("  " + TrainingView.Format(value));
        }
    }

    private void WriteLine(string line)
    {
        lock (_gate)
        {
            _writer.WriteLine(line);
            _sinceLine.Restart();
        }
    }
}
