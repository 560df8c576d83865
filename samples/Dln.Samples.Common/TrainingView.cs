using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DeepLanguageNetworks.Samples;

/// <summary>
/// What a person watching a training run wants to see, kept up to date from the trainer's reports: the iteration, the
/// phase at work with its calls done out of planned, the dev accuracy so far, and the calls, tokens and cost. Receives
/// both kinds of report (<see cref="TrainingProgress"/> after each iteration, <see cref="TrainingActivity"/> while it
/// runs) from any thread; <see cref="Render"/> draws it for Spectre.Console.
/// </summary>
public sealed class TrainingView : IProgress<TrainingProgress>, IProgress<TrainingActivity>
{
    private const string Sparks = "▁▂▃▄▅▆▇█";
    private readonly object _gate = new();
    private readonly List<(int Iteration, double Accuracy)> _dev = [];
    private readonly Queue<string> _recent = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _recentLines;
    private TrainingActivity? _activity;
    private int _iteration;
    private int _totalIterations;
    private long _calls;
    private long _tokens;
    private long _cacheHits;
    private decimal? _cost;

    /// <summary>Creates a view.</summary>
    /// <param name="title">The first line, for example the task and method.</param>
    /// <param name="recentLines">How many finished iterations to list.</param>
    public TrainingView(string title, int recentLines = 8)
    {
        Title = title ?? throw new ArgumentNullException(nameof(title));
        _recentLines = recentLines;
    }

    /// <summary>The first line.</summary>
    public string Title { get; }

    /// <summary>The dev accuracies measured so far, by iteration.</summary>
    public IReadOnlyList<(int Iteration, double Accuracy)> DevCurve
    {
        get
        {
            lock (_gate)
            {
                return [.. _dev];
            }
        }
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _iteration = value.Iteration;
            _totalIterations = value.TotalIterations;
            _calls = Math.Max(_calls, value.Calls);
            _tokens = Math.Max(_tokens, value.Tokens);
            if (value.DevAccuracy is { } dev)
            {
                _dev.Add((value.Iteration, dev));
            }

            _recent.Enqueue(ConsoleProgress.Format(value));
            while (_recent.Count > _recentLines)
            {
                _recent.Dequeue();
            }
        }
    }

    /// <inheritdoc />
    public void Report(TrainingActivity value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _activity = value;
            _totalIterations = value.TotalIterations;
            _calls = value.Calls;
            _tokens = value.Tokens;
            _cacheHits = value.CacheHits;
            _cost = value.Cost;
        }
    }

    /// <summary>The view as Spectre.Console draws it.</summary>
    /// <returns>The renderable.</returns>
    public IRenderable Render()
    {
        lock (_gate)
        {
            var c = CultureInfo.InvariantCulture;
            var iteration = Math.Max(_iteration, _activity?.Iteration ?? 0);
            var rows = new List<IRenderable>
            {
                new Markup($"[bold]{Markup.Escape(Title)}[/]  [grey]{_clock.Elapsed:hh\\:mm\\:ss}[/]"),
                new Markup(string.Format(c, "iteration {0,3}/{1,-3} {2}", iteration, _totalIterations, Bar(_totalIterations == 0 ? 0 : (double)_iteration / _totalIterations, 30))),
            };
            if (_activity is { } a)
            {
                var fraction = a.CallsPlanned == 0 ? (a.IsCompleted ? 1 : 0) : (double)a.CallsDone / a.CallsPlanned;
                rows.Add(new Markup(string.Format(c, "phase     {0,-28} {1} {2:N0}/{3:N0} calls{4}",
                    Markup.Escape(Describe(a)), Bar(fraction, 16), a.CallsDone, a.CallsPlanned, a.IsCompleted ? " [green]done[/]" : string.Empty)));
            }

            rows.Add(new Markup("dev curve " + Markup.Escape(DevLine())));
            rows.Add(new Markup(Markup.Escape(UsageLine(c))));
            if (_recent.Count > 0)
            {
                rows.Add(new Panel(new Text(string.Join('\n', _recent))) { Header = new PanelHeader("finished iterations"), Border = BoxBorder.Rounded, Expand = true });
            }

            return new Rows(rows);
        }
    }

    /// <summary>One line about a phase report, for plain output: <c>iteration 3 · scoring 6 candidates (layer 0): 144/144 calls, 2.1 s</c>.</summary>
    /// <param name="a">The report.</param>
    /// <returns>The line.</returns>
    public static string Format(TrainingActivity a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return string.Format(CultureInfo.InvariantCulture, "iteration {0} · {1}: {2:N0}/{3:N0} calls, {4:F1} s{5}",
            a.Iteration, Describe(a), a.CallsDone, a.CallsPlanned, a.Elapsed.TotalSeconds, a.IsCompleted ? string.Empty : " so far");
    }

    /// <summary>The phase in words: <c>forward pass</c>, <c>posterior samples (layer 0)</c>, <c>proposals (layer 1)</c>, <c>scoring 6 candidates (layer 1)</c>, <c>validation on dev</c>.</summary>
    /// <param name="a">The report.</param>
    /// <returns>The words.</returns>
    public static string Describe(TrainingActivity a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var layer = a.Layer is { } l ? $" (layer {l})" : string.Empty;
        return a.Phase switch
        {
            TrainingActivityPhase.Forward => "forward pass",
            TrainingActivityPhase.Posterior => "posterior samples" + layer,
            TrainingActivityPhase.Proposals => "proposals" + layer,
            TrainingActivityPhase.Scoring => $"scoring {a.Candidates} candidates{layer}",
            _ => a.Iteration == 0 ? "validation of the initial prompts" : "validation on dev",
        };
    }

    /// <summary>A text sparkline of accuracies between 0 and 1: <c>▁▄▆█</c>.</summary>
    /// <param name="values">The accuracies.</param>
    /// <returns>One character per value.</returns>
    public static string Sparkline(IEnumerable<double> values) =>
        string.Concat(values.Select(v => Sparks[Math.Clamp((int)Math.Round(v * (Sparks.Length - 1)), 0, Sparks.Length - 1)]));

    private string DevLine()
    {
        if (_dev.Count == 0)
        {
            return "(no validation yet)";
        }

        var best = _dev.MaxBy(d => d.Accuracy);
        var c = CultureInfo.InvariantCulture;
        var values = string.Join(" → ", _dev.TakeLast(6).Select(d => (d.Accuracy * 100).ToString("0.0", c) + "%"));
        return string.Format(c, "{0}  {1}  (best {2:0.0}% at iteration {3})", Sparkline(_dev.Select(d => d.Accuracy)), values, best.Accuracy * 100, best.Iteration);
    }

    private string UsageLine(CultureInfo c) => string.Format(c, "calls {0:N0} · cache hits {1:N0} · tokens {2:N0} · cost {3}",
        _calls, _cacheHits, _tokens, _cost is { } cost ? cost.ToString("$0.0000", c) : "n/a (no price table)");

    private static string Bar(double fraction, int width)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return "[green]" + new string('━', filled) + "[/][grey]" + new string('━', width - filled) + "[/]";
    }
}
