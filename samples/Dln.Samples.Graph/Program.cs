// A network as a graph of layers, on the paper's MPQA task (is a short opinion phrase positive or negative?). Two
// hidden nodes read the phrase in different ways: "meaning" reasons about what it says, step by step; "tone" names the
// words that carry a feeling. The answer node reads the phrase and both, and answers. The three prompts are learned
// together by variational inference: the two hidden texts are latent variables, each weighted by how well it lets the
// answer node explain the label.
//
// Runs on the bundled local model by default (mechanics only: it cannot read opinions). Set OPENAI_API_KEY /
// AZURE_OPENAI_* / DLN_BASE_URL for a hosted model; hidden nodes need continuation scoring, which the local model and a
// vLLM completions endpoint (DLN_SCORING_BASE_URL) provide and OpenAI chat models do not; the trainer says so before
// it starts. Options: --iterations N (2), --out DIR (a run folder with report.md, and the trained network).
using System.Diagnostics;
using System.Globalization;
using DeepLanguageNetworks;
using DeepLanguageNetworks.Paper;
using DeepLanguageNetworks.Samples;

var clock = Stopwatch.StartNew();
var iterations = SampleArguments.GetInt(args, "--iterations", 2);
var outIndex = Array.IndexOf(args, "--out");
var outDirectory = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;

var (backend, _) = LocalModelFallback.Select();
using var model = backend.Model;
Console.WriteLine($"backend: {backend.Description}");
using var cache = SampleCache.FromEnvironment(Console.Out);

var data = PaperDatasets.Load("mpqa", new PaperDatasetOptions { MaxTrain = 40, MaxDev = 8, MaxTest = 12 });
Console.WriteLine($"task: {data}");

// The tone node looks at the words rather than reasoning about them: its own template, with its prompt first.
var toneTemplate = new PromptTemplate("{prompt}\n\n{input}\n\nThe words that carry a feeling:", [LayerTemplates.PromptPlaceholder, LayerTemplates.InputPlaceholder]);
var network = Dln.CreateGraph()
    .AddLayer("meaning", new LanguageLayer(model, LayerTemplates.Hidden, string.Empty, OutputSpace.FreeText(32)))
    .AddLayer("tone", new LanguageLayer(model, toneTemplate, "Quote the words that show how the writer feels.", OutputSpace.FreeText(24)))
    .AddLayer(
        "answer",
        new LanguageLayer(model, LayerTemplates.Output, data.InitialInstruction!, data.OutputSpace),
        inputTemplate: "{input}\nWhat it says: {meaning}\nIts tone: {tone}")
    .Build(output: "answer");
Console.WriteLine($"network:\n{network.Describe()}");

// The paper's DLN-2 settings, scaled down so the sample finishes in well under a minute on two cores.
var trainer = new VariationalTrainer(model, VariationalTrainerOptions.Dln2 with
{
    Iterations = iterations,
    BatchSize = 4,
    PromptCandidates = 3,
    HiddenSamples = 2,
    BackwardMaxTokens = 32,
}, new TrainingRunOptions
{
    CacheStore = cache?.Store,
    RunDirectory = outDirectory is null ? null : Path.Combine(outDirectory, "run"),
});
Console.WriteLine($"projected: {trainer.Estimate(network, data.Train, data.Dev)}");

var initial = await network.EvaluateAsync(data.Test);
var result = await trainer.TrainAsync(network, data, new ConsoleProgress());
var final = await network.EvaluateAsync(data.Test);

foreach (var node in network.Nodes)
{
    Console.WriteLine($"prompt of {node.Name}: \"{node.Layer.Prompt}\"");
}

var example = await network.InvokeAsync(data.Test[0].Input);
Console.WriteLine($"example: {OneLine(data.Test[0].Input)}");
foreach (var (name, text) in example.Outputs)
{
    Console.WriteLine($"  {name}: {OneLine(text)}");
}

Console.WriteLine($"  expected: {data.Test[0].Target}");
if (outDirectory is not null)
{
    // A graph saves with its nodes and what each reads, and loads back the same.
    var path = Path.Combine(outDirectory, "graph-network.json");
    await network.SaveAsync(path, new Dictionary<string, string> { ["task"] = "mpqa" });
    var loaded = await Dln.LoadAsync(path, model);
    Console.WriteLine($"saved {path}: {loaded.Nodes.Count} nodes, output {loaded.OutputNode.Name}, report {Path.Combine(outDirectory, "run", RunFolder.ReportFileName)}");
}

Console.WriteLine($"usage: {result.Calls:N0} calls, {result.Tokens:N0} tokens");
Console.WriteLine(SampleCache.Summary(cache, result.Usage));
Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "test accuracy: {0:F3} (initial {1:F3}) in {2:F0} s", final.Accuracy, initial.Accuracy, clock.Elapsed.TotalSeconds));

static string OneLine(string text) => text.ReplaceLineEndings(" ");
