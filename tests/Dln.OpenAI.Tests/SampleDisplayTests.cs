using DeepLanguageNetworks.Samples;
using DeepLanguageNetworks.Tests.Scripted;
using Spectre.Console;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>The samples' run folder choice and training display (plain lines and the live view's content).</summary>
public sealed class SampleDisplayTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void Samples_keep_a_run_folder_under_runs_by_default_and_the_flag_or_variable_turns_it_off()
    {
        string? None(string _) => null;

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "runs", "quickstart-20260304-050607"), SampleRunFolder.Choose([], "quickstart", Start, None));
        Assert.Null(SampleRunFolder.Choose(["--iterations", "2", "--no-run-folder"], "quickstart", Start, None));
        Assert.Null(SampleRunFolder.Choose([], "quickstart", Start, _ => "off"));
        Assert.Equal(Path.GetFullPath("/tmp/sweep/two-layer-20260304-050607"), SampleRunFolder.Choose([], "two-layer", Start, _ => "/tmp/sweep"));
        Assert.Equal(Path.GetFullPath("here"), SampleRunFolder.Choose(["--run-folder", "here"], "quickstart", Start, None));
        Assert.Contains("--run-folder", Assert.Throws<ArgumentException>(() => SampleRunFolder.Choose(["--run-folder"], "quickstart", Start, None)).Message);

        var run = SampleRunFolder.Apply("/tmp/run", new TrainingRunOptions { MaxFailedIterations = 7 });
        Assert.Equal("/tmp/run", run.RunDirectory);
        Assert.NotNull(run.TrainingCurveRenderer);
        Assert.Equal(7, run.MaxFailedIterations);
        Assert.Null(SampleRunFolder.Apply(null).RunDirectory);
    }

    [Fact]
    public async Task Redirected_output_gets_one_line_per_iteration_and_per_finished_phase_with_its_calls()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var (train, dev, _) = NumberParityTask.Splits();
        using var output = new StringWriter();
        var display = new TrainingConsole("parity", interactive: false, writer: output);
        var trainer = new VariationalTrainer(world, VariationalTrainerOptions.Dln1 with { Iterations = 2, BatchSize = 10, PromptCandidates = 4 },
            new TrainingRunOptions { ActivityProgress = display });

        var result = await display.RunAsync(() => trainer.TrainAsync(Dln.CreateOneLayer(world, "Answer the question.", OutputSpace.FromClasses("yes|Yes", "no|No")), train, dev, display));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"iteration 0 · validation of the initial prompts: {dev.Length}/{dev.Length} calls", Before(lines[0], ", "));
        Assert.Contains(lines, l => l.StartsWith("iteration 1 · forward pass: 10/10 calls", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("iteration 2 · validation on dev:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("iteration  2/2", StringComparison.Ordinal) && l.Contains("dev acc", StringComparison.Ordinal));
        Assert.Equal(result.History.Select(h => h.DevAccuracy).OfType<double>(), display.View.DevCurve.Select(d => d.Accuracy));
    }

    [Fact]
    public void The_live_view_shows_the_iteration_the_phase_with_its_calls_the_dev_curve_and_the_usage()
    {
        var view = new TrainingView("mpqa dln1 seed 42");
        view.Report(new TrainingProgress { Iteration = 0, TotalIterations = 6, Prompts = ["p"], DevAccuracy = 0.5, Calls = 24, Tokens = 2400 });
        view.Report(new TrainingProgress { Iteration = 2, TotalIterations = 6, Prompts = ["p"], BatchAccuracy = 0.7, DevAccuracy = 0.75, Calls = 300, Tokens = 30000 });
        view.Report(new TrainingActivity
        {
            Iteration = 3, TotalIterations = 6, Phase = TrainingActivityPhase.Scoring, Layer = 0, Candidates = 6, CallsDone = 17, CallsPlanned = 48,
            Calls = 320, CacheHits = 12, Tokens = 31000, Cost = 0.0123m,
        });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Out = new AnsiConsoleOutput(new StringWriter()) });
        console.Profile.Width = 160;

        console.Write(view.Render());
        var text = ((StringWriter)console.Profile.Out.Writer).ToString();

        Assert.Contains("mpqa dln1 seed 42", text);
        Assert.Contains("iteration   3/6", text);
        Assert.Contains("scoring 6 candidates (layer 0)", text);
        Assert.Contains("17/48 calls", text);
        Assert.Contains("50.0% → 75.0%", text);
        Assert.Contains("best 75.0% at iteration 2", text);
        Assert.Contains("calls 320 · cache hits 12 · tokens 31,000 · cost $0.0123", text);
        Assert.Equal("▁█", TrainingView.Sparkline([0, 1]));
    }

    private static string Before(string line, string separator) => line[..line.IndexOf(separator, StringComparison.Ordinal)];
}
