// CustomTask: train Dln on your own data with your own metric. Two small JSON Lines files of our own making
// (data/tickets.jsonl: support tickets routed to one of four teams; data/orders.jsonl: customer messages whose total
// paid is the answer) are loaded with Dataset.Load, split with a seed, and trained with a metric each: exact match
// (class correctness) for the tickets, a numeric match with a 1 % tolerance and partial credit for the totals. For
// each task the sample prints the test metric before and after training and the learned prompt.
//
// With no environment variables it runs on the model bundled with Dln.LlamaSharp (stories260K, a story-telling model
// of 1.2 MB that cannot read tickets): the run shows the mechanics in well under a minute, not a useful router. Set
// OPENAI_API_KEY, AZURE_OPENAI_* or DLN_BASE_URL (see the README) to train against a real model; DLN_CACHE keeps the
// calls' responses across runs. Each task's run record (report.md, training-curve.png, history.jsonl) goes to
// runs/custom-task-<time>/<task>. Options: --task tickets|orders (default both), --iterations N, --run-folder PATH,
// --no-run-folder.
using System.Diagnostics;
using System.Globalization;
using DeepLanguageNetworks;
using DeepLanguageNetworks.Samples;

var clock = Stopwatch.StartNew();
var only = args.SkipWhile(a => a != "--task").Skip(1).FirstOrDefault();
if (only is not null && CustomTask.All.All(t => t.Name != only))
{
    Console.Error.WriteLine($"--task expects one of: {string.Join(", ", CustomTask.All.Select(t => t.Name))}; got '{only}'.");
    return 1;
}

var runRoot = SampleRunFolder.Choose(args, "custom-task");
var (backend, isLocal) = LocalModelFallback.Select();
using var model = backend.Model;
Console.WriteLine($"backend: {backend.Description}");
using var cache = SampleCache.FromEnvironment(Console.Out);

var bundled = LocalModelFallback.IsBundledModel(isLocal);
var iterations = SampleArguments.GetInt(args, "--iterations", bundled ? 2 : 8);
var c = CultureInfo.InvariantCulture;
var lines = new List<string>();
long calls = 0;
foreach (var task in CustomTask.All.Where(t => only is null || t.Name == only))
{
    var data = Dataset.Load(Path.Combine(AppContext.BaseDirectory, "data", task.File), task.Fields, task.OutputSpace, new DatasetSplitOptions { DevFraction = 0.25, TestFraction = 0.25, Seed = 42 });
    if (bundled)
    {
        // The bundled model only shows the mechanics: a few examples of each split keep the run short.
        data = new Dataset(data.Name, [.. data.Train.Take(12)], [.. data.Dev.Take(6)], [.. data.Test.Take(8)]) { OutputSpace = data.OutputSpace, SplitDescription = data.SplitDescription };
    }

    Console.WriteLine($"\ntask {task.Name}: {data}; metric {task.Metric.Name}");
    var network = Dln.CreateOneLayer(model, task.Instruction, data.OutputSpace);
    var before = await network.EvaluateAsync(data.Test, task.Metric);
    var display = new TrainingConsole($"custom task: DLN-1 on {task.Name}, metric {task.Metric.Name}");
    var trainer = new VariationalTrainer(model, VariationalTrainerOptions.Dln1 with
    {
        Iterations = iterations,
        BatchSize = 6,
        PromptCandidates = 4,
        BackwardMaxTokens = 48,
        Metric = task.Metric,

        // On the bundled model every prompt ties on dev, and a tie keeps the initial prompt: validate after the last
        // iteration only, so that the prompt the training batches chose is kept. Other models take the defaults.
        EvaluateBeforeTraining = !bundled,
        ValidationInterval = bundled ? Math.Max(1, iterations) : 2,
    }, SampleRunFolder.Apply(runRoot is null ? null : Path.Combine(runRoot, task.Name), new TrainingRunOptions { CacheStore = cache?.Store, ActivityProgress = display }));

    // A live view on a terminal; otherwise a line per iteration that names the metric (and one per finished phase).
    IProgress<TrainingProgress> progress = display.IsInteractive ? display : new LineProgress(p => Console.WriteLine(string.Format(c,
        "  iteration {0}/{1}: batch {2} {3}{4}",
        p.Iteration, p.TotalIterations, task.Metric.Name, p.BatchScore?.ToString("F3", c) ?? "-",
        p.DevScore is { } dev ? string.Format(c, ", dev {0:F3}", dev) : string.Empty)));
    var result = await display.RunAsync(() => trainer.TrainAsync(network, data, progress));
    var after = await network.EvaluateAsync(data.Test, task.Metric);
    calls += result.Calls;
    Console.WriteLine("  " + SampleCache.Summary(cache, result.Usage));

    var saved = Path.Combine(Environment.CurrentDirectory, $"{task.Name}-network.json");
    await network.SaveAsync(saved);
    Console.WriteLine($"  initial prompt: \"{task.Instruction}\"");
    Console.WriteLine($"  learned prompt: \"{network.OutputLayer.Prompt.ReplaceLineEndings(" ")}\"");
    Console.WriteLine($"  saved to {saved} (metric recorded: {network.TrainedMetric})");
    if (after.Results.FirstOrDefault(r => r.Score < 1 && r.Feedback is not null) is { } miss)
    {
        Console.WriteLine($"  e.g. \"{miss.Prediction.ReplaceLineEndings(" ")}\" for {miss.Example.Source}: {miss.Feedback}");
    }

    lines.Add(string.Format(c, "{0}: test {1} {2:F3} -> {3:F3} ({4} test examples)", task.Name, task.Metric.Name, before.MeanScore, after.MeanScore, data.Test.Count));
}

Console.WriteLine();
Console.WriteLine(string.Format(c, "usage: {0:N0} calls; {1:F1} s", calls, clock.Elapsed.TotalSeconds));
Console.WriteLine(SampleRunFolder.Summary(runRoot));
foreach (var line in lines)
{
    Console.WriteLine(line);
}

return 0;

/// <summary>Prints each report at once, on the thread that reports it (so lines keep their order).</summary>
internal sealed class LineProgress(Action<TrainingProgress> write) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => write(value);
}
