// Two-layer network (DLN-2) on BIG-Bench Hard "navigate": layer 1 writes its reasoning about the instructions, layer 2
// reads the question plus that reasoning and answers yes or no. Both prompts are learned jointly by variational
// inference: the hidden reasoning is a latent variable sampled from a posterior proposal and weighted.
//
// Runs on the bundled local model by default (mechanics only: it cannot reason). Set OPENAI_API_KEY / AZURE_OPENAI_* /
// DLN_BASE_URL for a hosted model; hidden layers need continuation scoring, which the local model and a vLLM
// completions endpoint (DLN_SCORING_BASE_URL) provide and OpenAI chat models do not — the trainer says so before it starts.
// The run's record goes to runs/two-layer-<time> (--no-run-folder: none).
using System.Globalization;
using DeepLanguageNetworks;
using DeepLanguageNetworks.Paper;
using DeepLanguageNetworks.Samples;

var iterations = SampleArguments.GetInt(args, "--iterations", 2);
var runFolder = SampleRunFolder.Choose(args, "two-layer");
var (backend, _) = LocalModelFallback.Select();
using var model = backend.Model;
Console.WriteLine($"backend: {backend.Description}");
using var cache = SampleCache.FromEnvironment(Console.Out);

var data = PaperDatasets.Load("navigate", new PaperDatasetOptions { MaxDev = 8, MaxTest = 12 });
Console.WriteLine($"task: {data}");

var network = Dln.CreateTwoLayer(
    model,
    hiddenPrompt: string.Empty,
    outputPrompt: data.InitialInstruction!,
    data.OutputSpace,
    new DlnOptions { StripOptionsForHiddenLayers = true },
    hiddenMaxTokens: 48);

var display = new TrainingConsole($"two-layer: DLN-2 on {data.Name}");

// The paper's DLN-2 settings, scaled down so the sample finishes in about a minute on two cores.
var trainer = new VariationalTrainer(model, VariationalTrainerOptions.Dln2 with
{
    Iterations = iterations,
    BatchSize = 4,
    PromptCandidates = 3,
    HiddenSamples = 2,
    BackwardMaxTokens = 48,
}, SampleRunFolder.Apply(runFolder, new TrainingRunOptions { CacheStore = cache?.Store, ActivityProgress = display }));
Console.WriteLine($"projected: {trainer.Estimate(network, data.Train, data.Dev)}");

var initial = await network.EvaluateAsync(data.Test);
var result = await display.RunAsync(() => trainer.TrainAsync(network, data, display));
var final = await network.EvaluateAsync(data.Test);

var example = await network.InvokeAsync(data.Test[0].Input);
Console.WriteLine($"hidden prompt: \"{network.Layers[0].Prompt}\"");
Console.WriteLine($"output prompt: \"{network.Layers[1].Prompt}\"");
Console.WriteLine($"example reasoning: \"{example.HiddenOutputs[0]}\" -> {example.Output} (expected {data.Test[0].Target})");
Console.WriteLine($"usage: {result.Calls:N0} calls, {result.Tokens:N0} tokens");
Console.WriteLine(SampleCache.Summary(cache, result.Usage));
Console.WriteLine(SampleRunFolder.Summary(runFolder));
Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "test accuracy: {0:F3} (initial {1:F3})", final.Accuracy, initial.Accuracy));

