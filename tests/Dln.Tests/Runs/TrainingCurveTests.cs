using DeepLanguageNetworks.Plotting;
using DeepLanguageNetworks.Tests.Data;

namespace DeepLanguageNetworks.Tests.Runs;

/// <summary>The ScottPlot renderer draws complete PNGs from any history, including the awkward ones.</summary>
public sealed class TrainingCurveTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public static TheoryData<string> Histories => new() { "typical", "empty", "initial-only", "no-elbo", "infinite-elbo", "no-validation", "all-skipped" };

    [Theory]
    [MemberData(nameof(Histories))]
    public void Renders_a_png_of_the_requested_size(string kind)
    {
        var renderer = new ScottPlotTrainingCurveRenderer(width: 500, height: 300);

        var png = renderer.Render(History(kind));

        Assert.Equal((500, 300), PngHeader.Read(png));
    }

    [Fact]
    public void Different_histories_give_different_pictures()
    {
        var renderer = new ScottPlotTrainingCurveRenderer(width: 400, height: 250);
        Assert.NotEqual(renderer.Render(History("typical")), renderer.Render(History("no-elbo")));
    }

    [Fact]
    public void Where_the_best_validation_is_changes_the_picture()
    {
        var renderer = new ScottPlotTrainingCurveRenderer(width: 400, height: 250);
        var typical = History("typical");
        var otherBest = typical.Select(h => h.Iteration == 2 && h.DevAccuracy is not null ? h with { DevAccuracy = 0.99 } : h).ToArray();

        Assert.NotEqual(renderer.Render(typical), renderer.Render(otherBest));
    }

    [Fact]
    public void Several_runs_draw_on_one_chart_including_runs_without_validation()
    {
        var renderer = new ScottPlotTrainingCurveRenderer(width: 640, height: 400);
        var runs = new Dictionary<string, IReadOnlyList<TrainingProgress>>
        {
            ["mpqa seed 13"] = History("typical"),
            ["mpqa seed 42"] = History("no-elbo"),
            ["trec seed 13"] = History("no-validation"),
            ["subj seed 13"] = History("empty"),
        };

        var png = renderer.RenderComparison(runs);

        Assert.Equal((640, 400), PngHeader.Read(png));
        Assert.Equal((640, 400), PngHeader.Read(renderer.RenderComparison([])));
        Assert.NotEqual(png, renderer.RenderComparison(runs.Take(2)));
        Assert.NotEqual(png, renderer.RenderComparison(runs, title: "DLN-1 per seed"));
    }

    [Fact]
    public void WriteTo_draws_the_curve_of_an_existing_run_folder()
    {
        var lines = string.Concat(History("typical").Select(h => RunFolder.ToLine(h) + "\n"));
        _folder.Write(RunFolder.HistoryFileName, lines);

        var path = new ScottPlotTrainingCurveRenderer().WriteTo(_folder.Path);

        Assert.Equal(Path.Combine(_folder.Path, RunFolder.TrainingCurveFileName), path);
        Assert.Equal((1000, 600), PngHeader.Read(File.ReadAllBytes(path)));
    }

    [Theory]
    [InlineData(199, 600, "width")]
    [InlineData(8001, 600, "width")]
    [InlineData(1000, 149, "height")]
    public void Sizes_out_of_range_are_refused_by_name(int width, int height, string name) =>
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new ScottPlotTrainingCurveRenderer(width, height)).ParamName);

    public void Dispose() => _folder.Dispose();

    private static TrainingProgress[] History(string kind)
    {
        TrainingProgress Step(int i, double? batch, double? elbo, double? dev) =>
            new() { Iteration = i, TotalIterations = 6, Prompts = ["p"], BatchAccuracy = batch, Elbo = elbo, DevAccuracy = dev, BestDevAccuracy = dev, Skipped = elbo is null };
        return kind switch
        {
            "empty" => [],
            "initial-only" => [Step(0, null, null, 0.4)],
            "no-elbo" => [Step(0, null, null, 0.4), Step(1, 1.0, null, null), Step(2, 1.0, null, 0.5)],
            "no-validation" => [Step(1, 0.5, -2.5, null), Step(2, 0.7, -1.8, null), Step(3, 1.0, null, null)],
            "all-skipped" => [Step(0, null, null, 0.5), Step(1, 1.0, null, null), Step(2, 1.0, null, 0.5)],
            "infinite-elbo" => [Step(0, null, null, 0.4), Step(1, 0.5, double.NegativeInfinity, null), Step(2, 0.6, double.NaN, 0.6)],
            _ => [Step(0, null, null, 0.4), Step(1, 0.5, -2.5, null), Step(2, 0.7, -1.8, 0.65), Step(3, 0.6, -1.2, null), Step(4, 0.9, -0.7, 0.9), Step(5, 1.0, null, null), Step(6, 0.9, -0.4, 0.93)],
        };
    }
}
