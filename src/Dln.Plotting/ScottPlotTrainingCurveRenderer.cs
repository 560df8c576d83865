using ScottPlot;

namespace DeepLanguageNetworks.Plotting;

/// <summary>
/// Draws a run's training curve with ScottPlot as a PNG: train batch accuracy, dev accuracy and best dev accuracy on
/// the left axis (0 to 1), the ELBO of each update on the right axis, against the iteration. Thread-safe.
/// </summary>
/// <remarks>
/// Skipped updates have no ELBO and iterations without validation no dev accuracy: their points are left out, not
/// drawn as zero. Non-finite ELBO values are left out as well.
/// </remarks>
public sealed class ScottPlotTrainingCurveRenderer : ITrainingCurveRenderer
{
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

    /// <summary>Draws the curve.</summary>
    /// <param name="history">The run's reports, in order.</param>
    /// <returns>The PNG file's bytes.</returns>
    public byte[] Render(IReadOnlyList<TrainingProgress> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        using var plot = new Plot();
        plot.Title("Training curve");
        plot.Axes.Bottom.Label.Text = "iteration";
        plot.Axes.Left.Label.Text = "accuracy";
        plot.Axes.Right.Label.Text = "ELBO";

        AddSeries(plot, history, h => h.Iteration > 0 ? h.BatchAccuracy : null, "train batch accuracy", rightAxis: false, LinePattern.Solid);
        AddSeries(plot, history, h => h.DevAccuracy, "dev accuracy", rightAxis: false, LinePattern.Solid);
        AddSeries(plot, history, h => h.BestDevAccuracy is >= 0 ? h.BestDevAccuracy : null, "best dev accuracy", rightAxis: false, LinePattern.Dotted);
        AddSeries(plot, history, h => h.Elbo is { } e && double.IsFinite(e) ? e : null, "ELBO (right axis)", rightAxis: true, LinePattern.Dashed);

        plot.Axes.SetLimitsY(-0.02, 1.02, plot.Axes.Left);
        var last = history.Count > 0 ? Math.Max(1, history.Max(h => h.Iteration)) : 1;
        plot.Axes.SetLimitsX(-0.25, last + 0.25);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
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

    private static void AddSeries(Plot plot, IReadOnlyList<TrainingProgress> history, Func<TrainingProgress, double?> value, string label, bool rightAxis, LinePattern pattern)
    {
        var points = history.Where(h => value(h) is not null).Select(h => (X: (double)h.Iteration, Y: value(h)!.Value)).ToArray();
        if (points.Length == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
        scatter.LegendText = label;
        scatter.LinePattern = pattern;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 6;
        if (rightAxis)
        {
            scatter.Axes.YAxis = plot.Axes.Right;
        }
    }
}
