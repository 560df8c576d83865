using System.Text.Json;
using DeepLanguageNetworks.Plotting;
using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;
using DeepLanguageNetworks.Tests.Training;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Runs;

/// <summary>A training run with a run folder leaves a readable, resumable record of itself, and nothing secret.</summary>
public sealed class RunFolderTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Run_folder_holds_config_checkpoint_history_calls_curve_and_report()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var directory = Path.Combine(_folder.Path, "run");
        var renderer = new ScottPlotTrainingCurveRenderer(width: 640, height: 400);
        var options = TrainingScenarios.Dln1Small;
        var run = new TrainingRunOptions { RunDirectory = directory, LogCalls = true, TrainingCurveRenderer = renderer };

        var result = await new VariationalTrainer(world, options, run).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);

        // history.jsonl: every line parses, one per report (iteration 0 = the initial validation, then 1..N), in order,
        // and equal to the result's history.
        var lines = File.ReadAllLines(Path.Combine(directory, RunFolder.HistoryFileName));
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
        var history = RunFolder.ReadHistory(directory);
        Assert.Equal(lines.Length, history.Count);
        Assert.Equal(Enumerable.Range(0, options.Iterations + 1), history.Select(h => h.Iteration));
        Assert.Equal(RunRecord.Of(result.History), RunRecord.Of(history));
        // Each chosen prompt names the candidate it came from.
        var updates = history.SelectMany(h => h.Updates).ToArray();
        Assert.NotEmpty(updates);
        Assert.All(updates, u =>
        {
            Assert.Equal(u.SelectedPrompt, u.CandidateScores[u.SelectedIndex].Prompt);
            Assert.Equal(u.SelectedOrigin, u.CandidateScores[u.SelectedIndex].Origin);
        });
        Assert.Contains(updates, u => u.SelectedOrigin == CandidateOrigin.Proposal && u.SelectedIndex > 0);
        using (var line = JsonDocument.Parse(lines.First(l => l.Contains("\"proposal\"", StringComparison.Ordinal))))
        {
            var update = line.RootElement.GetProperty("updates")[0];
            Assert.True(update.TryGetProperty("selectedPrompt", out _));
            Assert.True(update.TryGetProperty("selectedIndex", out _));
            Assert.True(line.RootElement.TryGetProperty("batchAccuracy", out _));
        }

        // config.json: the settings and the network as trained.
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, RunFolder.ConfigFileName))))
        {
            var root = config.RootElement;
            Assert.Equal(options.Iterations, root.GetProperty("trainer").GetProperty("iterations").GetInt32());
            Assert.Equal(options.PromptCandidates, root.GetProperty("trainer").GetProperty("promptCandidates").GetInt32());
            Assert.Equal(options.Seed, root.GetProperty("trainer").GetProperty("seed").GetInt32());
            Assert.Equal(train.Length, root.GetProperty("trainExamples").GetInt32());
            var layer = Assert.Single(root.GetProperty("network").GetProperty("layers").EnumerateArray());
            Assert.Equal(TrainingScenarios.UninformativePrompt, layer.GetProperty("initialPrompt").GetString());
            Assert.Equal("world", layer.GetProperty("model").GetProperty("modelId").GetString());
            Assert.Equal("scripted", root.GetProperty("backwardModel").GetProperty("provider").GetString());
            Assert.False(root.TryGetProperty("resumedAfterIteration", out _));
        }

        // checkpoint.json: the run folder's checkpoint, complete.
        var checkpoint = await RunFolder.LoadCheckpointAsync(directory);
        Assert.Equal(options.Iterations, checkpoint.IterationsCompleted);
        Assert.Equal(result.BestPrompts, checkpoint.BestPrompts);

        // calls.jsonl: one line per request (cache hits included), without texts unless asked for.
        var calls = File.ReadAllLines(Path.Combine(directory, RunFolder.CallLogFileName)).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(result.Usage.Total.Requests, calls.Length);
        Assert.Equal(result.Calls, calls.Count(c => !c.GetProperty("fromCache").GetBoolean()));
        Assert.Equal(result.Usage.Total.InputTokens, calls.Where(c => !c.GetProperty("fromCache").GetBoolean()).Sum(c => c.GetProperty("inputTokens").GetInt64()));
        Assert.All(calls, c => Assert.False(c.TryGetProperty("prompt", out _)));
        Assert.Contains(calls, c => c.GetProperty("role").GetString() == "backward" && c.GetProperty("operation").GetString() == "text_completion");
        Assert.Contains(calls, c => c.GetProperty("role").GetString() == "evaluation" && c.GetProperty("operation").GetString() == "next_token_logprobs");

        // training-curve.png: a complete PNG of the requested size.
        var png = File.ReadAllBytes(Path.Combine(directory, RunFolder.TrainingCurveFileName));
        Assert.Equal((640, 400), PngHeader.Read(png));

        // report.md: the results table with this run's numbers, the usage per role, the best prompt and the curve.
        var report = File.ReadAllText(Path.Combine(directory, RunFolder.ReportFileName));
        output.WriteLine(report);
        Assert.Contains($"| Best dev accuracy | {result.BestDevAccuracy.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)} |", report, StringComparison.Ordinal);
        Assert.Contains($"| Initial dev accuracy | {result.InitialDevAccuracy!.Value.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)} |", report, StringComparison.Ordinal);
        Assert.Contains($"| Iterations | {options.Iterations} of {options.Iterations} |", report, StringComparison.Ordinal);
        Assert.Contains("| Stopped early | no |", report, StringComparison.Ordinal);
        var scoring = result.Usage.For(CallRole.Scoring);
        Assert.Contains(FormattableString.Invariant($"| Scoring | {scoring.Calls:N0} | {scoring.CacheHits:N0} | {scoring.Failures:N0} | {scoring.InputTokens:N0} |"), report, StringComparison.Ordinal);
        Assert.Contains(result.BestPrompts[0], report, StringComparison.Ordinal);
        Assert.Contains("](training-curve.png)", report, StringComparison.Ordinal);
        Assert.Equal(options.Iterations + 1, report.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\| \d+ \| ")));
    }

    [Fact]
    public async Task A_key_held_by_the_model_never_reaches_the_run_folder()
    {
        const string Secret = "SECRETKEY123";
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        // A misconfigured endpoint carrying the key in its user information and query as well.
        using var model = new KeyCarryingModel(world, Secret, $"https://user:{Secret}@llm.example.invalid/openai/v1?api-key={Secret}&x=1");
        var directory = Path.Combine(_folder.Path, "secret");
        var options = TrainingScenarios.Dln1Small with { Iterations = 2 };
        var run = new TrainingRunOptions
        {
            RunDirectory = directory,
            LogCalls = true,
            LogCallText = true,
            TrainingCurveRenderer = new ScottPlotTrainingCurveRenderer(),
        };

        await new VariationalTrainer(model, options, run).TrainAsync(TrainingScenarios.NumberNetwork(model), train, dev);

        var files = Directory.GetFiles(directory);
        Assert.Equal(
            new[] { RunFolder.CallLogFileName, RunFolder.CheckpointFileName, RunFolder.ConfigFileName, RunFolder.HistoryFileName, RunFolder.ReportFileName, RunFolder.TrainingCurveFileName },
            files.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.False(System.Text.Encoding.UTF8.GetString(bytes).Contains(Secret, StringComparison.Ordinal), $"{Path.GetFileName(file)} holds the key");
        }

        // The endpoint is kept, without the parts that may hold credentials; prompts were logged as asked.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, RunFolder.ConfigFileName)));
        Assert.Equal("https://llm.example.invalid/openai/v1", config.RootElement.GetProperty("backwardModel").GetProperty("endpoint").GetString());
        Assert.Contains("\"prompt\":", File.ReadAllText(Path.Combine(directory, RunFolder.CallLogFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_json_holds_both_options_records_with_behaviour_written_as_type_names()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var directory = Path.Combine(_folder.Path, "config");
        var options = TrainingScenarios.Dln1Small with { Iterations = 1, Patience = 3, TrainedLayers = [0] };
        var run = new TrainingRunOptions
        {
            RunDirectory = directory,
            CacheStore = new InMemoryCacheStore(),
            Retry = new LanguageModelRetryOptions { MaxRetryAttempts = 2 },
            TrainingCurveRenderer = new ScottPlotTrainingCurveRenderer(),
            Budget = new UsageBudget { MaxCalls = 10_000 },
            RuntimeDecorators = RuntimeDecorators.Cache | RuntimeDecorators.Retry,
        };

        await new VariationalTrainer(world, options, run).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);

        var text = File.ReadAllText(Path.Combine(directory, RunFolder.ConfigFileName));
        output.WriteLine(text);
        using var config = JsonDocument.Parse(text);
        var root = config.RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        var trainer = root.GetProperty("trainer");
        Assert.Equal(3, trainer.GetProperty("patience").GetInt32());
        Assert.Equal([0], trainer.GetProperty("trainedLayers").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(trainer.TryGetProperty("tolerance", out _));
        // The automatic rules, resolved for this network.
        Assert.Equal("logProbabilities", root.GetProperty("outputScoring").GetString());
        Assert.False(root.GetProperty("skipUpdateWhenBatchCorrect").GetBoolean());
        var written = root.GetProperty("run");
        Assert.Equal(directory, written.GetProperty("runDirectory").GetString());
        Assert.Equal(nameof(InMemoryCacheStore), written.GetProperty("cacheStore").GetString());
        Assert.Equal(nameof(ScottPlotTrainingCurveRenderer), written.GetProperty("trainingCurveRenderer").GetString());
        Assert.Equal(2, written.GetProperty("retry").GetProperty("maxRetryAttempts").GetInt32());
        // The retry options keep their predicate and clock out of JSON: behaviour, not settings.
        Assert.False(written.GetProperty("retry").TryGetProperty("isTransient", out _));
        Assert.Equal(10_000, written.GetProperty("budget").GetProperty("maxCalls").GetInt64());
        Assert.Equal("cache, retry", written.GetProperty("runtimeDecorators").GetString());
    }

    [Theory]
    [InlineData("https://api.example.invalid/v1", "https://api.example.invalid/v1")]
    [InlineData("https://a:b@api.example.invalid:8443/v1/?key=k#frag", "https://api.example.invalid:8443/v1/")]
    [InlineData("/models/qwen.gguf", "/models/qwen.gguf")]
    [InlineData("models/qwen.gguf?token=t", "models/qwen.gguf")]
    [InlineData(null, null)]
    public void Endpoints_lose_user_information_query_and_fragment(string? endpoint, string? expected) =>
        Assert.Equal(expected, RunModelInfo.SafeEndpoint(endpoint));

    [Fact]
    public async Task Resuming_into_the_same_folder_continues_the_history_without_duplicates()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var options = TrainingScenarios.Dln1Small with { SkipUpdateWhenBatchCorrect = false };
        var run = new TrainingRunOptions { LogCalls = true };
        var full = await new VariationalTrainer(world, options, run with { RunDirectory = Path.Combine(_folder.Path, "full") })
            .TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);

        var directory = Path.Combine(_folder.Path, "stopped");
        var stopped = run with { RunDirectory = directory };
        using var cancellation = new CancellationTokenSource();
        // Cancelling in the report of iteration 3 stops the run after its history line and before its checkpoint:
        // the folder holds one line more than the checkpoint knows of.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new VariationalTrainer(world, options, stopped).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev, new CancelAtIteration(3, cancellation), cancellation.Token));
        Assert.Equal([0, 1, 2, 3], RunFolder.ReadHistory(directory).Select(h => h.Iteration));
        Assert.False(File.Exists(Path.Combine(directory, RunFolder.ReportFileName)));
        var checkpoint = await RunFolder.LoadCheckpointAsync(directory);
        Assert.Equal(2, checkpoint.IterationsCompleted);
        var callsBefore = File.ReadAllLines(Path.Combine(directory, RunFolder.CallLogFileName)).Length;

        var resumed = await new VariationalTrainer(world, options, stopped).ResumeAsync(TrainingScenarios.NumberNetwork(world), train, dev, checkpoint);

        var history = RunFolder.ReadHistory(directory);
        Assert.Equal(Enumerable.Range(0, options.Iterations + 1), history.Select(h => h.Iteration));
        Assert.Equal(RunRecord.Of(resumed.History), RunRecord.Of(history));
        Assert.Equal(RunRecord.Of(full.History, accounting: false), RunRecord.Of(history, accounting: false));
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, RunFolder.ConfigFileName)));
        Assert.Equal(2, config.RootElement.GetProperty("resumedAfterIteration").GetInt32());
        // The call log keeps the first session's calls and adds the second's.
        Assert.Equal(callsBefore + resumed.Usage.Total.Requests, File.ReadAllLines(Path.Combine(directory, RunFolder.CallLogFileName)).Length);
        var report = File.ReadAllText(Path.Combine(directory, RunFolder.ReportFileName));
        Assert.Contains("resumed the run after iteration 2", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_run_in_a_used_folder_replaces_the_earlier_run()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var directory = Path.Combine(_folder.Path, "reused");
        var logs = new CapturingLoggerFactory();
        await new VariationalTrainer(world, TrainingScenarios.Dln1Small with { Iterations = 4 }, new TrainingRunOptions { RunDirectory = directory, LogCalls = true, TrainingCurveRenderer = new ScottPlotTrainingCurveRenderer() })
            .TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);

        var second = await new VariationalTrainer(world, TrainingScenarios.Dln1Small with { Iterations = 2 }, new TrainingRunOptions { RunDirectory = directory }, logs.CreateLogger("trainer"))
            .TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);

        Assert.Equal([0, 1, 2], RunFolder.ReadHistory(directory).Select(h => h.Iteration));
        Assert.Equal(2, (await RunFolder.LoadCheckpointAsync(directory)).IterationsCompleted);
        // Files of the first run that the second does not write are gone rather than left to mislead.
        Assert.False(File.Exists(Path.Combine(directory, RunFolder.CallLogFileName)));
        Assert.False(File.Exists(Path.Combine(directory, RunFolder.TrainingCurveFileName)));
        Assert.Contains("| Iterations | 2 of 2 |", File.ReadAllText(Path.Combine(directory, RunFolder.ReportFileName)), StringComparison.Ordinal);
        Assert.Single(logs.WithEventId(1502));
        Assert.Single(logs.WithEventId(1504));
        Assert.Equal(2, second.IterationsCompleted);
    }

    [Fact]
    public async Task A_curve_that_cannot_be_drawn_is_logged_and_the_report_is_still_written()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var directory = Path.Combine(_folder.Path, "no-curve");
        var logs = new CapturingLoggerFactory();
        var options = TrainingScenarios.Dln1Small with { Iterations = 2 };
        var run = new TrainingRunOptions { RunDirectory = directory, TrainingCurveRenderer = new FailingRenderer() };

        var result = await new VariationalTrainer(world, options, run, logs.CreateLogger("trainer")).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);

        Assert.Equal(2, result.IterationsCompleted);
        var warning = Assert.Single(logs.WithEventId(1503));
        Assert.IsType<InvalidOperationException>(warning.Exception);
        Assert.Contains("Not drawn: InvalidOperationException: no fonts here", File.ReadAllText(Path.Combine(directory, RunFolder.ReportFileName)), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory, "curve.png")));
    }

    [Fact]
    public async Task A_budget_stop_writes_the_report_with_the_reason()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var directory = Path.Combine(_folder.Path, "budget");
        var run = new TrainingRunOptions { RunDirectory = directory, Budget = new UsageBudget { MaxCalls = 1 } };

        var result = await new VariationalTrainer(world, TrainingScenarios.Dln1Small, run).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);

        Assert.NotNull(result.StopReason);
        Assert.Equal(result.History.Count, RunFolder.ReadHistory(directory).Count);
        var report = File.ReadAllText(Path.Combine(directory, RunFolder.ReportFileName));
        Assert.Contains($"| Stopped early | {result.StopReason} |", report, StringComparison.Ordinal);
        Assert.Contains("Not drawn: no `TrainingCurveRenderer`", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Training_on_a_dataset_names_it_and_its_split_in_config_and_report()
    {
        var (train, dev, test) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var directory = Path.Combine(_folder.Path, "dataset");
        var dataset = new Dataset("parity", train, dev, test) { SplitDescription = "Dev inputs overlap the test set (the paper's protocol)." };
        var run = new TrainingRunOptions { RunDirectory = directory };

        await new VariationalTrainer(world, TrainingScenarios.Dln1Small with { Iterations = 1 }, run).TrainAsync(TrainingScenarios.NumberNetwork(world), dataset);

        var report = File.ReadAllText(Path.Combine(directory, RunFolder.ReportFileName));
        Assert.Contains("## Data\n\nDataset `parity`: Dev inputs overlap the test set (the paper's protocol).", report, StringComparison.Ordinal);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, RunFolder.ConfigFileName)));
        var data = config.RootElement.GetProperty("data");
        Assert.Equal("parity", data.GetProperty("name").GetString());
        Assert.Equal(dataset.SplitDescription, data.GetProperty("splitDescription").GetString());
    }

    [Fact]
    public void ReadHistory_names_the_file_and_line_of_a_bad_line_and_ignores_a_torn_last_line()
    {
        var directory = Path.Combine(_folder.Path, "hand-edited");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, RunFolder.HistoryFileName);
        var good = RunFolder.ToLine(new TrainingProgress { Iteration = 1, TotalIterations = 2, Prompts = ["p"], BatchAccuracy = 0.5, Elbo = double.NegativeInfinity });

        // A crash in the middle of a write leaves a last line without its line break: it is not a report yet.
        File.WriteAllText(path, good + "\n" + good[..10]);
        var history = RunFolder.ReadHistory(directory);
        Assert.Equal(0.5, Assert.Single(history).BatchAccuracy);
        Assert.Equal(double.NegativeInfinity, history[0].Elbo);

        File.WriteAllText(path, good + "\n{\"iteration\": 2,\n" + good + "\n");
        var error = Assert.Throws<InvalidDataException>(() => RunFolder.ReadHistory(directory));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);

        File.WriteAllText(path, "{\"iteration\": 1}\n");
        var missing = Assert.Throws<InvalidDataException>(() => RunFolder.ReadHistory(directory)).Message;
        Assert.Contains("line 1", missing, StringComparison.Ordinal);
        Assert.Contains("prompts", missing, StringComparison.Ordinal);

        // JSON null passes the 'required' check; the reader refuses it by name.
        File.WriteAllText(path, "{\"iteration\": 1, \"totalIterations\": 2, \"prompts\": null}\n");
        Assert.Contains("'prompts' is missing or holds null", Assert.Throws<InvalidDataException>(() => RunFolder.ReadHistory(directory)).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => RunFolder.ReadHistory(Path.Combine(_folder.Path, "absent")));
    }

    public void Dispose() => _folder.Dispose();

    private sealed class FailingRenderer : ITrainingCurveRenderer
    {
        public string FileName => "curve.png";

        public byte[] Render(IReadOnlyList<TrainingProgress> history) => throw new InvalidOperationException("no fonts here");
    }
}
