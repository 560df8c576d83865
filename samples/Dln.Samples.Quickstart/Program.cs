// Quickstart: learn the prompt of a one-layer network (DLN-1) on the MPQA sentiment task.
//
// With no environment variables it runs on the small model bundled with Dln.LlamaSharp (stories260K, a 1.2 MB
// story-telling model): no key, no download, well under a minute on two cores. That model cannot follow instructions:
// what it shows is the optimizer at work (the prompt changes and the held-out log-likelihood of the gold answers, the
// quantity DLN maximises, moves), not a useful classifier. Set OPENAI_API_KEY, AZURE_OPENAI_* or DLN_BASE_URL (see
// README) to train against a real model, or DLN_MODEL_PATH to use another GGUF file. DLN_CACHE=runs/cache.db (or
// redis://host:port, shared by several machines) keeps the calls' responses, so that a second run costs nothing.
// The run's record (report.md, training-curve.png, history.jsonl) goes to runs/quickstart-<time>; --no-run-folder keeps
// none, --run-folder PATH picks the folder.
using System.Globalization;
using DeepLanguageNetworks;
using DeepLanguageNetworks.Paper;
using DeepLanguageNetworks.Samples;

var iterations = SampleArguments.GetInt(args, "--iterations", 6);
var runFolder = SampleRunFolder.Choose(args, "quickstart");
var (backend, isLocal) = LocalModelFallback.Select();
using var model = backend.Model;
Console.WriteLine($"backend: {backend.Description}");
using var cache = SampleCache.FromEnvironment(Console.Out);

var bundled = LocalModelFallback.IsBundledModel(isLocal);

// Small splits keep the quickstart quick; the paper uses 1000 train / 256 dev / 250 test examples.
var data = PaperDatasets.Load("mpqa", new PaperDatasetOptions { MaxTrain = 200, MaxDev = 24, MaxTest = 40 });
Console.WriteLine($"task: {data}");

var network = Dln.CreateOneLayer(model, data.InitialInstruction!, data.OutputSpace);
Console.WriteLine($"class scoring: {network.OutputLayer.EffectiveClassScoring}");
var display = new TrainingConsole($"quickstart: DLN-1 on {data.Name}");
var trainer = new VariationalTrainer(model, VariationalTrainerOptions.Dln1 with
{
    Iterations = iterations,
    BatchSize = 8,
    PromptCandidates = 6,
    BackwardMaxTokens = 48,

    // The bundled model answers "positive" to every input whatever the prompt, so dev accuracy ties at 50 % for every
    // candidate and a tie keeps the initial prompt: validating only after the last iteration keeps the prompt that the
    // training batches' log-likelihood chose. With any other model the defaults apply (validate before training and every 2 iterations).
    EvaluateBeforeTraining = !bundled,
    ValidationInterval = bundled ? Math.Max(1, iterations) : 2,
}, SampleRunFolder.Apply(runFolder, new TrainingRunOptions { CacheStore = cache?.Store, ActivityProgress = display }));
Console.WriteLine($"projected: {trainer.Estimate(network, data.Train, data.Dev)}");

var initialPrompt = network.OutputLayer.Prompt;
var initial = await TestScores.MeasureAsync(network, data.Test);
var result = await display.RunAsync(() => trainer.TrainAsync(network, data, display));
var final = await TestScores.MeasureAsync(network, data.Test);

var output = Path.Combine(Environment.CurrentDirectory, "quickstart-network.json");
await network.SaveAsync(output);
Console.WriteLine($"initial prompt: \"{initialPrompt}\"");
Console.WriteLine($"learned prompt: \"{network.OutputLayer.Prompt}\"");
Console.WriteLine($"saved the trained network to {output}");
Console.WriteLine($"usage: {result.Calls:N0} calls, {result.Tokens:N0} tokens");
Console.WriteLine(SampleCache.Summary(cache, result.Usage));
Console.WriteLine(SampleRunFolder.Summary(runFolder));
if (final.LogLikelihood is { } after && initial.LogLikelihood is { } before)
{
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "test log-likelihood: {0:F3} (initial {1:F3})", after, before));
}

Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "test accuracy: {0:F3} (initial {1:F3})", final.Accuracy, initial.Accuracy));
