// PaperTasks: the paper's comparison on its nine tasks. For every task, method and seed it builds the network, trains it
// (DLN-1, DLN-2) or only fixes its demonstrations (0-shot, 5-shot: runs of the same trainer with 0 iterations), measures
// test accuracy, and counts calls and tokens; then it prints a task × method table of mean ± std test accuracy over the
// seeds and a table of the cost per method.
//
//   dotnet run -c Release --project samples/Dln.Samples.PaperTasks -- --tasks navigate,mpqa --seeds 42 --iterations 2
//
// With no environment variables it runs on the bundled local model (stories260K) at the "local" scale: small splits and
// small trainer settings, so that one task takes seconds; that model cannot follow instructions, so the numbers only
// show the mechanics. Set OPENAI_API_KEY / AZURE_OPENAI_* / DLN_BASE_URL (see README) to run at the paper's scale on a
// real model; DLN-2 needs continuation scoring (the local model, or vLLM through DLN_SCORING_BASE_URL) and is reported
// as n/a otherwise. Every run keeps a run folder under runs/paper-tasks-<time> (report.md, training-curve.png), and the
// dev accuracy of all runs of a method is drawn in dev-accuracy-<method>.png there (--no-run-folder: none). --help
// lists the options.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeepLanguageNetworks;
using DeepLanguageNetworks.LlamaSharp;
using DeepLanguageNetworks.Plotting;
using DeepLanguageNetworks.Samples;
using DeepLanguageNetworks.Samples.Benchmark;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

// stories260K was trained on 2048-token texts; a 5-shot prompt of seven-object logical deduction is longer. Past its
// training length the model reads worse, which does not matter for a model that only shows the mechanics.
var (backend, usesLocalModel) = LocalModelFallback.Select(new LlamaSharpModelOptions { ContextSize = 4096 });
using var model = backend.Model;
using var cache = SampleCache.FromEnvironment();

var scale = options.Scale ?? (usesLocalModel ? RunScale.Local : RunScale.Paper);
var iterations = options.Iterations ?? scale.Iterations;
var caps = new PaperDatasetOptions
{
    MaxTrain = options.MaxTrain is { } train ? train.Limit : scale.MaxTrain,
    MaxDev = options.MaxDev is { } dev ? dev.Limit : scale.MaxDev,
    MaxTest = options.MaxTest is { } test ? test.Limit : scale.MaxTest,
};
Console.WriteLine($"backend: {backend.Description}");
if (cache is not null)
{
    Console.WriteLine($"cache: {cache.Description}");
}

Console.WriteLine($"scale: {scale.Name}; tasks: {string.Join(", ", options.Tasks.Select(t => t.Id))}; methods: {string.Join(", ", options.Methods)}; " +
    $"run seeds: {string.Join(", ", options.Seeds)} (data seed {caps.DataSeed} for every run); iterations: {iterations}; racing: {(options.Racing ? "on" : "off")}; caps train/dev/test: {Cap(caps.MaxTrain)}/{Cap(caps.MaxDev)}/{Cap(caps.MaxTest)}");

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops after the current run and still prints the tables; a second one ends the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

var datasetsRoot = Path.Combine(AppContext.BaseDirectory, "datasets");
// The paper's protocol: the data seed (42) fixes every split and dev/test draw; the run seeds vary only training.
var datasets = new ConcurrentDictionary<string, Dataset>();
var plan = (from task in options.Tasks from seed in options.Seeds from method in options.Methods select new PlannedRun(task, method, seed)).ToArray();
var interactive = TrainingConsole.IsTerminal();
var runRoot = !options.KeepRunFolders ? null
    : options.RunFolder is { } chosen ? Path.GetFullPath(chosen)
    : SampleRunFolder.Choose([], "paper-tasks");
var histories = new ConcurrentDictionary<PlannedRun, IReadOnlyList<TrainingProgress>>();
var started = Stopwatch.StartNew();
var outcomes = await ProgressDisplay.RunAsync(plan, RunAsync, interactive, cancellation.Token);

var tables = ResultTables.Build(outcomes, options.Tasks, options.Methods);
Console.WriteLine();
Console.WriteLine(tables.ToMarkdown());
Console.WriteLine($"{outcomes.Count} of {plan.Length} runs in {started.Elapsed.TotalSeconds:F1} s");
Console.WriteLine(SampleCache.Summary(cache, outcomes.Sum(o => o.TrainCalls), outcomes.Sum(o => o.TrainCacheHits)));

if (runRoot is not null)
{
    // One chart per training method: the dev accuracy of every task and seed, one line each.
    foreach (var method in options.Methods.Where(m => m.Trains))
    {
        var runs = plan.Where(r => r.Method == method && histories.ContainsKey(r))
            .Select(r => KeyValuePair.Create($"{r.Task.Id} seed {r.Seed}", histories[r]))
            .ToList();
        if (runs.Count > 0)
        {
            var chart = Path.Combine(runRoot, $"dev-accuracy-{method.Name}.png");
            await File.WriteAllBytesAsync(chart, new ScottPlotTrainingCurveRenderer(1200, 700).RenderComparison(runs, $"{method.Name}: dev accuracy per task and seed"));
            Console.WriteLine($"chart: {chart}");
        }
    }

    Console.WriteLine($"run folders: {runRoot} (one per run: report.md, training-curve.png; --no-run-folder to keep none)");
}

if (options.OutputFolder is { } folder)
{
    Directory.CreateDirectory(folder);
    var results = new
    {
        backend = backend.Description,
        scale = scale.Name,
        iterations,
        racing = options.Racing,
        caps = new { train = caps.MaxTrain, dev = caps.MaxDev, test = caps.MaxTest },
        runs = outcomes,
    };
    var json = JsonSerializer.Serialize(results, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    });
    await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), json);
    await File.WriteAllTextAsync(Path.Combine(folder, "results.md"), $"# Paper tasks\n\nBackend: {backend.Description}; scale {scale.Name}, {iterations} iterations, racing {(options.Racing ? "on" : "off")}.\n\n{tables.ToMarkdown()}");
    Console.WriteLine($"wrote {Path.Combine(folder, "results.json")} and results.md");
}

var failed = outcomes.Count(o => o.Status == RunStatus.Failed);
if (failed > 0 || cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine(cancellation.IsCancellationRequested ? "stopped before all runs finished" : $"{failed} run(s) failed");
    return 1;
}

return 0;

async Task<RunOutcome> RunAsync(PlannedRun run, IProgress<TrainingProgress> progress, IProgress<TrainingActivity> activity)
{
    var clock = Stopwatch.StartNew();
    try
    {
        var data = datasets.GetOrAdd(run.Task.Id, _ => PaperDatasets.Load(run.Task, datasetsRoot, caps));
        var network = run.Method.CreateNetwork(model, run.Task, scale);
        var runOptions = SampleRunFolder.Apply(
            runRoot is null ? null : Path.Combine(runRoot, $"{run.Task.Id}-{run.Method.Name}-seed{run.Seed}"),
            new TrainingRunOptions { CacheStore = cache?.Store, ActivityProgress = activity });
        var trainer = new VariationalTrainer(model, run.Method.TrainerOptions(scale, iterations, run.Seed, options.Racing), runOptions);
        var training = await trainer.TrainAsync(network, data, progress, cancellation.Token);
        histories[run] = training.History;

        // The test set runs on a copy of the trained network whose calls are counted apart from training.
        var testUsage = new UsageTracker();
        var test = await network.WithModels(m => m.AsBuilder().UseUsageTracking(testUsage).Build()).EvaluateAsync(data.Test, cancellationToken: cancellation.Token);
        var testCounts = testUsage.Snapshot().Total;

        // Ordered-Prompt test sets share inputs with dev (the paper's protocol): also report the accuracy without them.
        var devInputs = data.Dev.Select(e => e.Input).ToHashSet(StringComparer.Ordinal);
        var unseen = test.Results.Where(r => !devInputs.Contains(r.Example.Input)).ToArray();
        var overlap = test.Results.Count - unseen.Length;
        if (options.OutputFolder is { } outputFolder)
        {
            // Every trained network is kept, to be read back with Dln.LoadAsync (or the UseTrained sample).
            await network.SaveAsync(
                Path.Combine(outputFolder, "networks", $"{run.Task.Id}-{run.Method.Name}-seed{run.Seed}.json"),
                new Dictionary<string, string>
                {
                    ["task"] = run.Task.Id,
                    ["method"] = run.Method.Name,
                    ["seed"] = run.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["testAccuracy"] = test.Accuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture),
                    ["backend"] = backend.Description,
                },
                cancellation.Token);
        }

        return new RunOutcome
        {
            Task = run.Task.Id,
            Method = run.Method.Name,
            Seed = run.Seed,
            Status = RunStatus.Completed,
            DevAccuracy = training.BestDevAccuracy,
            TestAccuracy = test.Accuracy,
            DevInputsInTest = overlap,
            TestAccuracyWithoutDevInputs = overlap > 0 && unseen.Length > 0 ? unseen.Count(r => r.IsCorrect) / (double)unseen.Length : null,
            TrainCalls = training.Calls,
            TrainCacheHits = training.Usage.Total.CacheHits,
            TrainTokens = training.Tokens,
            TestCalls = testCounts.Calls,
            TestTokens = testCounts.TotalTokens,
            Seconds = clock.Elapsed.TotalSeconds,
            Prompts = network.Prompts,
        };
    }
    catch (NotSupportedException ex)
    {
        return Outcome(run, RunStatus.NotSupported, ex.Message, clock);
    }
    catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
    {
        return Outcome(run, RunStatus.Failed, $"{ex.GetType().Name}: {ex.Message}", clock);
    }
}

static RunOutcome Outcome(PlannedRun run, RunStatus status, string error, Stopwatch clock) => new()
{
    Task = run.Task.Id,
    Method = run.Method.Name,
    Seed = run.Seed,
    Status = status,
    Error = error,
    Seconds = clock.Elapsed.TotalSeconds,
};

static string Cap(int? cap) => cap?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all";
