using System.Globalization;
using ScottPlot;

namespace DeepLanguageNetworks.Plotting;

/// <summary>
/// Draws training curves with ScottPlot as PNG pictures: one run's curve for its run folder (<see cref="Render"/>), or
/// the dev accuracy of several runs on one chart (<see cref="RenderComparison"/>, for a sweep over tasks or seeds: one
/// line per run, each in its colour, width and marker shape, so that runs measuring the same accuracies stay visible).
/// Thread-safe.
/// </summary>
/// <remarks>
/// <para>A run's curve has the iteration on the horizontal axis (0 is the validation of the initial prompts) and
/// accuracy in percent on the left: the dev accuracy of each validation (thick), the best dev accuracy so far (a dotted
/// step), and the accuracy on the iteration's training batch before its update (thin). The best validation is marked
/// with a star and named in the title. The ELBO of each update (the sum of the chosen prompts' scores: log-likelihoods,
/// or accuracies with accuracy scoring; higher is better) is on the right axis, and iterations whose update was skipped
/// are marked along the bottom.</para>
/// <para>Missing values are left out, never drawn as zero: iterations without validation have no dev point, skipped
/// updates no ELBO, and non-finite ELBO values are dropped. A history without any validation draws the batch accuracy
/// and the ELBO and says so in the title.</para>
/// </remarks>
public sealed class ScottPlotTrainingCurveRenderer : ITrainingCurveRenderer
{
    private static readonly Color DevColor = Color.FromHex("#1f77b4");
    private static readonly Color BatchColor = Color.FromHex("#ff7f0e");
    private static readonly Color BestColor = Color.FromHex("#2ca02c");
    private static readonly Color ElboColor = Color.FromHex("#7f7f7f");
    private static readonly Color SkippedColor = Color.FromHex("#d62728");
    private static readonly float[] RunWidths = [7, 4.5f, 2];
    private static readonly MarkerShape[] RunMarkers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledTriangleDown];

    /// <summary>Creates a renderer.</summary>
    /// <param name="width">Width of the picture in pixels, 200 to 8000. Default 1000.</param>
    /// <param name="height">Height of the picture in pixels, 150 to 8000. Default 600.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside its range.</exception>
    public ScottPlotTrainingCurveRenderer(int width = 1000, int height = 600)
    {
        Width = width is >= 200 and <= 8000 ? width : throw new ArgumentOutOfRangeException(nameof(width), width, "width must be 200 to 8000 pixels.");
        Height = height is >= 150 and <= 8000 ? height : throw new ArgumentOutOfRangeException(nameof(height), height, "height must be 150 to 8000 pixels.");
    }

    /// <summary>Width of the picture in pixels.</summary>
    public int Width { get; }

    /// <summary>Height of the picture in pixels.</summary>
    public int Height { get; }

    /// <summary><c>training-curve.png</c>.</summary>
    public string FileName => RunFolder.TrainingCurveFileName;

    /// <summary>Draws the curve of one run.</summary>
    /// <param name="history">The run's reports, in order.</param>
    /// <returns>The PNG file's bytes.</returns>
    public byte[] Render(IReadOnlyList<TrainingProgress> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        using var plot = new Plot();
        var best = BestValidation(history);
        plot.Title(best is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"Training curve: best dev accuracy {Percent(b.Accuracy)} at iteration {b.Iteration}")
            : history.Count == 0 ? "Training curve: no iterations" : "Training curve: no dev validation in this run");
        SetAccuracyAxes(plot);
        plot.Axes.Right.Label.Text = "ELBO of the update (higher is better)";

        // Added in legend order; the dev line is drawn first and the others over it.
        Line(plot, Points(history, h => h.DevAccuracy is { } a ? a * 100 : null), "dev accuracy (validation)", DevColor, LinePattern.Solid, width: 3, markerSize: 8);
        var bestSoFar = Line(plot, Points(history, h => h.BestDevAccuracy is >= 0 and var a ? a * 100 : null), "best dev accuracy so far", BestColor, LinePattern.Dotted, width: 2, markerSize: 0);
        if (bestSoFar is not null)
        {
            bestSoFar.ConnectStyle = ConnectStyle.StepHorizontal;
        }

        Line(plot, Points(history, h => h.Iteration > 0 && h.BatchAccuracy is { } a ? a * 100 : null), "batch accuracy (training batch, before the update)", BatchColor, LinePattern.Solid, width: 1.5f, markerSize: 5);
        var elbo = Points(history, h => h.Elbo is { } e && double.IsFinite(e) ? e : null);
        if (elbo.Length > 0)
        {
            Line(plot, elbo, "ELBO (right axis)", ElboColor, LinePattern.Dashed, width: 1.5f, markerSize: 4)!.Axes.YAxis = plot.Axes.Right;
        }

        var skipped = history.Where(h => h.Iteration > 0 && h.Skipped).Select(h => (double)h.Iteration).ToArray();
        if (skipped.Length > 0)
        {
            var markers = plot.Add.Markers(skipped, skipped.Select(_ => 1.5).ToArray(), MarkerShape.FilledTriangleUp, 9, SkippedColor);
            markers.LegendText = "update skipped (batch all right, or the iteration failed)";
        }

        var lastIteration = history.Count > 0 ? history.Max(h => h.Iteration) : 0;
        if (best is { } top)
        {
            MarkBest(plot, top.Iteration, top.Accuracy, DevColor, "best " + Percent(top.Accuracy), atRightEdge: top.Iteration >= Math.Max(1, lastIteration));
        }

        SetIterationAxis(plot, lastIteration);
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>
    /// Draws the dev accuracy of several runs on one chart, one line per run (a task, a seed, a method), each run's best
    /// validation marked. Runs without any validation are listed in the legend as such.
    /// </summary>
    /// <param name="runs">Each run's label and history, in legend order.</param>
    /// <param name="title">The chart's title; <see langword="null"/> for "Dev accuracy per run".</param>
    /// <returns>The PNG file's bytes.</returns>
    public byte[] RenderComparison(IEnumerable<KeyValuePair<string, IReadOnlyList<TrainingProgress>>> runs, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var list = runs.ToList();
        using var plot = new Plot();
        plot.Title(title ?? "Dev accuracy per run");
        SetAccuracyAxes(plot);
        var palette = new ScottPlot.Palettes.Category10();
        var last = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var (label, history) = (list[i].Key, list[i].Value ?? []);
            var color = palette.GetColor(i);
            last = Math.Max(last, history.Count > 0 ? history.Max(h => h.Iteration) : 0);
            var points = Points(history, h => h.DevAccuracy is { } a ? a * 100 : null);
            var best = BestValidation(history);
            var legend = best is { } b
                ? string.Create(CultureInfo.InvariantCulture, $"{label} (best {Percent(b.Accuracy)} at iteration {b.Iteration})")
                : $"{label} (no validation)";
            if (points.Length == 0)
            {
                // Still in the legend, so that a run without validations is seen to be missing rather than forgotten.
                var empty = plot.Add.Scatter(Array.Empty<double>(), Array.Empty<double>(), color);
                empty.LegendText = legend;
                continue;
            }

            // Runs that measure the same accuracies draw on top of each other: widths that shrink from run to run keep
            // every earlier line visible as a band around the later ones, and the marker shape tells them apart too.
            var line = Line(plot, points, legend, color, i / RunWidths.Length % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed, RunWidths[i % RunWidths.Length], markerSize: 9)!;
            line.MarkerShape = RunMarkers[i % RunMarkers.Length];
            if (best is { } top)
            {
                MarkBest(plot, top.Iteration, top.Accuracy, color, label: null, atRightEdge: false);
            }
        }

        SetIterationAxis(plot, last);
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Draws the curve of a run folder from its <c>history.jsonl</c> and writes it there.</summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <returns>The path of the picture.</returns>
    /// <exception cref="FileNotFoundException">The folder has no history.</exception>
    public string WriteTo(string runDirectory)
    {
        var image = Render(RunFolder.ReadHistory(runDirectory));
        var path = Path.Combine(runDirectory, FileName);
        File.WriteAllBytes(path, image);
        return path;
    }

    /// <summary>The first validation with the highest dev accuracy (the prompts the run keeps), or null without validations.</summary>
    private static (int Iteration, double Accuracy)? BestValidation(IReadOnlyList<TrainingProgress> history)
    {
        (int Iteration, double Accuracy)? best = null;
        foreach (var h in history)
        {
            if (h.DevAccuracy is { } dev && double.IsFinite(dev) && (best is null || dev > best.Value.Accuracy))
            {
                best = (h.Iteration, dev);
            }
        }

        return best;
    }

    private static string Percent(double accuracy) => (accuracy * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static void SetAccuracyAxes(Plot plot)
    {
        plot.Axes.Left.Label.Text = "accuracy (%)";
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => v.ToString("0", CultureInfo.InvariantCulture) + "%" };
        plot.Axes.SetLimitsY(-2, 104, plot.Axes.Left);
    }

    private static void SetIterationAxis(Plot plot, int lastIteration)
    {
        plot.Axes.Bottom.Label.Text = "iteration (0 = the initial prompts)";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsX(-0.3, Math.Max(1, lastIteration) + 0.3);
    }

    private static void MarkBest(Plot plot, int iteration, double accuracy, Color color, string? label, bool atRightEdge)
    {
        plot.Add.Marker(iteration, accuracy * 100, MarkerShape.FilledDiamond, 16, color);
        plot.Add.Marker(iteration, accuracy * 100, MarkerShape.OpenDiamond, 22, Colors.Black);
        if (label is not null)
        {
            var text = plot.Add.Text(label, iteration, accuracy * 100);
            text.LabelFontSize = 14;
            text.LabelBold = true;
            text.LabelFontColor = color;
            text.LabelAlignment = atRightEdge ? Alignment.LowerRight : Alignment.LowerCenter;
            text.LabelOffsetY = -16;
        }
    }

    private static (double X, double Y)[] Points(IReadOnlyList<TrainingProgress> history, Func<TrainingProgress, double?> value) =>
        history.Select(h => (h.Iteration, Value: value(h))).Where(p => p.Value is not null).Select(p => ((double)p.Iteration, p.Value!.Value)).ToArray();

    private static ScottPlot.Plottables.Scatter? Line(Plot plot, (double X, double Y)[] points, string label, Color color, LinePattern pattern, float width, float markerSize)
    {
        if (points.Length == 0)
        {
            return null;
        }

        var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), color);
        scatter.LegendText = label;
        scatter.LinePattern = pattern;
        scatter.LineWidth = width;
        scatter.MarkerSize = markerSize;
        return scatter;
    }
}
