// UseTrained: load a network saved by a training run (in another process) and serve it as an application would, through
// a Microsoft.Extensions.AI pipeline: network.AsChatClient() behind M.E.AI's own logging and OpenTelemetry middleware.
// Nothing is trained.
//
//   dotnet run --project samples/Dln.Samples.UseTrained -- [network.json] [--verbose] [input ...]
//
// --verbose shows the pipeline's own log lines (M.E.AI's LoggingChatClient at Debug level: each call and its usage).
// The network file defaults to quickstart-network.json in the current directory (the quickstart writes it). Inputs come
// from the arguments, or one per line from standard input. With --demo the sample builds a one-layer sentiment network,
// saves it to a temporary file and loads it back (the save/load round trip, with no training and no file needed).
// The backend is chosen as in the other samples: OPENAI_API_KEY / AZURE_OPENAI_* / DLN_BASE_URL, else the bundled
// local model. A saved network holds prompts and templates, not a model: use the model it was trained with.
using System.Globalization;
using System.Text.Json;
using DeepLanguageNetworks;
using DeepLanguageNetworks.Extensions.AI;
using DeepLanguageNetworks.Paper;
using DeepLanguageNetworks.Samples;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

const string DefaultNetworkFile = "quickstart-network.json";
var demo = args.Contains("--demo");
var verbose = args.Contains("--verbose");
var positional = args.Where(a => a is not "--demo" and not "--verbose").ToList();
var path = positional.Count > 0 && positional[0].EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? positional[0] : null;
var inputs = positional.Skip(path is null ? 0 : 1).ToList();
path ??= Path.Combine(Environment.CurrentDirectory, DefaultNetworkFile);

if (!demo && !File.Exists(path))
{
    Console.Error.WriteLine($"No saved network at {path}.");
    Console.Error.WriteLine("Create one with the quickstart, which trains a network and writes quickstart-network.json in the current directory:");
    Console.Error.WriteLine("  dotnet run --project samples/Dln.Samples.Quickstart");
    Console.Error.WriteLine("or pass the path of a network saved with network.SaveAsync, or run with --demo to round-trip an untrained network.");
    return 1;
}

var (backend, _) = LocalModelFallback.Select();
var backendModel = backend.Model; // disposed by the pipeline built from it
Console.WriteLine($"backend: {backend.Description}");

// Inputs already answered come from a cache: with DLN_CACHE, answers given by earlier runs on the same model too.
using var cache = SampleCache.FromEnvironment(Console.Out);

var usage = new UsageTracker();
using var model = backendModel.AsBuilder().UseUsageTracking(usage).UseCache(cache?.Store ?? new InMemoryCacheStore()).Build();

if (demo)
{
    // A network as the quickstart would start it: one layer, the MPQA instruction and classes; saved and loaded back.
    var untrained = Dln.CreateOneLayer(model, PaperTasks.Mpqa.InitialInstruction, PaperTasks.Mpqa.OutputSpace);
    path = Path.Combine(Path.GetTempPath(), $"dln-use-trained-demo-{Environment.ProcessId}.json");
    await untrained.SaveAsync(path, new Dictionary<string, string> { ["task"] = PaperTasks.Mpqa.Id, ["note"] = "untrained demo network" });
    Console.WriteLine($"demo: saved an untrained one-layer network to {path}");
    if (inputs.Count == 0)
    {
        inputs = ["a wonderful, generous gesture", "the plan was a disaster"];
    }
}

Dln network;
try
{
    network = await Dln.LoadAsync(path, model);
}
catch (NetworkFormatException ex)
{
    Console.Error.WriteLine($"Cannot load the network: {ex.Message}");
    return 1;
}
finally
{
    if (demo)
    {
        File.Delete(path);
    }
}

Console.WriteLine($"network: {network.Depth} layer(s) from {path}{TrainedWith(path, demo, model)}");
for (var i = 0; i < network.Depth; i++)
{
    var layer = network.Layers[i];
    var kind = layer.OutputSpace.IsClassification ? $"classes {string.Join(", ", layer.OutputSpace.Classes.Select(c => c.Label))}" : "free text";
    Console.WriteLine($"  layer {i} ({kind}): \"{OneLine(layer.Prompt)}\"{(layer.Demonstrations.Count > 0 ? $", {layer.Demonstrations.Count} demonstrations" : string.Empty)}");
}

// The production path: the trained network is an IChatClient, composed with M.E.AI's middleware like any other.
using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning));
using IChatClient chat = network.AsChatClient()
    .AsBuilder()
    .UseLogging(loggers)
    .UseOpenTelemetry(sourceName: "Dln.Samples.UseTrained")
    .Build();

if (inputs.Count == 0)
{
    if (!Console.IsInputRedirected)
    {
        Console.WriteLine("Type an input per line (an empty line or Ctrl+D ends):");
    }

    while (Console.ReadLine() is { Length: > 0 } line)
    {
        await AnswerAsync(chat, network, line);
    }
}
else
{
    foreach (var input in inputs)
    {
        await AnswerAsync(chat, network, input);
    }
}

Console.WriteLine(SampleCache.Summary(cache, usage.Snapshot()));
return 0;

static async Task AnswerAsync(IChatClient chat, Dln network, string input)
{
    var response = await chat.GetResponseAsync(input);
    Console.WriteLine($"input: {input}");
    if (response.RawRepresentation is DlnResult result)
    {
        // Every node but the output one, by name (a stack's are layer0, layer1, ...).
        for (var i = 0; i < result.HiddenOutputs.Count; i++)
        {
            Console.WriteLine($"  {network.Nodes[i].Name}: {OneLine(result.HiddenOutputs[i])}");
        }
    }

    var properties = response.AdditionalProperties;
    var confidence = properties?.TryGetValue(DlnChatClient.ClassProbabilityPropertyName, out var p) == true
        ? string.Format(CultureInfo.InvariantCulture, " (class {0}, p = {1:F2})", properties[DlnChatClient.ClassPropertyName], p)
        : string.Empty;
    var calls = response.Usage?.AdditionalCounts?.GetValueOrDefault(DlnChatClient.CallsCountName);
    Console.WriteLine($"  answer: {response.Text}{confidence}; {calls} call(s), {response.Usage?.TotalTokenCount} tokens");
}

// The saved file names the model each layer was trained with; a different model reads the same prompts differently.
static string TrainedWith(string path, bool demo, ILanguageModel model)
{
    if (demo)
    {
        return string.Empty;
    }

    using var document = JsonDocument.Parse(File.ReadAllText(path));
    var trained = document.RootElement.GetProperty("layers").EnumerateArray()
        .Select(l => l.TryGetProperty("model", out var m) ? m.GetString() : null)
        .OfType<string>()
        .Distinct()
        .ToArray();
    return trained.Length == 0 || trained.SequenceEqual([model.Metadata.ModelId])
        ? string.Empty
        : $" (trained with {string.Join(", ", trained)}; now answering with {model.Metadata.ModelId})";
}

static string OneLine(string text)
{
    var line = text.ReplaceLineEndings(" ");
    return line.Length <= 100 ? line : line[..97] + "...";
}
