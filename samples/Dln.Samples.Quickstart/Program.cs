// Quickstart: learn the prompt of a one-layer network (DLN-1) on the MPQA sentiment task.
//
// With no environment variables it runs on the small model bundled with Dln.LlamaSharp (stories260K, a 1.2 MB
// story-telling model): no key, no download, under a minute on two cores. That model cannot follow instructions, so
// the accuracies only show the mechanics. Set OPENAI_API_KEY, AZURE_OPENAI_* or DLN_BASE_URL (see README) to train
// against a real model, or DLN_MODEL_PATH to use another GGUF file.
using System.Globalization;
using DeepLanguageNetworks;
using DeepLanguageNetworks.Samples;

var iterations = SampleArguments.GetInt(args, "--iterations", 4);
var (backend, _) = LocalModelFallback.Select();
using var model = backend.Model;
Console.WriteLine($"backend: {backend.Description}");

// Small splits keep the quickstart quick; the paper uses 1000 train / 256 dev / 250 test examples.
var data = PaperDatasets.Load("mpqa", Path.Combine(AppContext.BaseDirectory, "datasets"), new PaperDatasetOptions { MaxTrain = 200, MaxDev = 24, MaxTest = 40 });
Console.WriteLine($"task: {data}");

var network = Dln.CreateOneLayer(model, data.Task.InitialInstruction, data.Task.OutputSpace);
var trainer = new VariationalTrainer(model, VariationalTrainerOptions.Dln1 with
{
    Iterations = iterations,
    BatchSize = 8,
    PromptCandidates = 4,
    BackwardMaxTokens = 48,
});
Console.WriteLine($"projected: {trainer.Estimate(network, data.Train, data.Dev)}");

var initial = await network.EvaluateAsync(data.Test);
var result = await trainer.TrainAsync(network, data, new ConsoleProgress());
var final = await network.EvaluateAsync(data.Test);

var output = Path.Combine(Environment.CurrentDirectory, "quickstart-network.json");
await network.SaveAsync(output);
Console.WriteLine($"learned prompt: \"{network.OutputLayer.Prompt}\"");
Console.WriteLine($"saved the trained network to {output}");
Console.WriteLine($"usage: {result.Calls:N0} calls, {result.Tokens:N0} tokens");
Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "test accuracy: {0:F3} (initial {1:F3})", final.Accuracy, initial.Accuracy));

