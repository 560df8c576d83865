using System.Text.Json;
using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Diagnostics;
using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// What follows the graph in a training run besides the prompts: the capability checks name the node, a checkpoint
/// holds the node names and refuses another network, the run folder draws the graph and lists each node's chosen
/// prompts, and telemetry tags the phases with the node.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class GraphTrainingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_hidden_node_without_continuation_scoring_is_named_before_any_call()
    {
        var (train, dev, _) = TrainingScenarios.TwoFactsData();
        using var world = new ScriptedWorldModel(TwoFactsTask.Instance);
        using var chat = new ScriptedWorldModel(TwoFactsTask.Instance, ScriptedWorldModel.ChatLikeCapabilities, modelId: "chat-like");
        var network = Dln.CreateGraph()
            .AddLayer("digits", new LanguageLayer(world, LayerTemplates.Hidden, string.Empty, OutputSpace.FreeText(32)))
            .AddLayer("lead", new LanguageLayer(chat, TwoFactsTask.WholeViewTemplate, string.Empty, OutputSpace.FreeText(32)))
            .AddLayer("answer", new LanguageLayer(world, LayerTemplates.Output, TrainingScenarios.UninformativePrompt, TwoFactsTask.Classes), inputs: ["input", "digits", "lead"])
            .Build(output: "answer");

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => new VariationalTrainer(world, TrainingScenarios.Dln2Small).TrainAsync(network, train, dev));

        Assert.Contains("hidden node \"lead\" (layer 1)", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(LanguageModelCapabilities.ContinuationLogProbabilities), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Calls + chat.Calls);
    }

    [Fact]
    public async Task A_checkpoint_holds_the_node_names_and_resumes_only_the_same_graph()
    {
        var (train, dev, _) = TrainingScenarios.TwoFactsData();
        using var world = new ScriptedWorldModel(TwoFactsTask.Instance);
        var path = Path.Combine(_folder.Path, "graph.checkpoint.json");
        var options = TrainingScenarios.Dln2Small with { Iterations = 2 };
        await new VariationalTrainer(world, options, new TrainingRunOptions { CheckpointPath = path }).TrainAsync(TrainingScenarios.TwoFactsGraph(world), train, dev);

        using (var document = JsonDocument.Parse(await File.ReadAllTextAsync(path)))
        {
            Assert.Equal(["digits", "lead", "answer"], document.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
            Assert.Equal(3, document.RootElement.GetProperty("prompts").GetArrayLength());
        }

        var checkpoint = await TrainingCheckpoint.LoadAsync(path);
        var trainer = new VariationalTrainer(world, options);
        var renamed = Dln.CreateGraph()
            .AddLayer("sum", new LanguageLayer(world, LayerTemplates.Hidden, string.Empty, OutputSpace.FreeText(32)))
            .AddLayer("lead", new LanguageLayer(world, TwoFactsTask.WholeViewTemplate, string.Empty, OutputSpace.FreeText(32)))
            .AddLayer("answer", new LanguageLayer(world, LayerTemplates.Output, TrainingScenarios.UninformativePrompt, TwoFactsTask.Classes), inputs: ["input", "sum", "lead"])
            .Build(output: "answer");

        var other = await Assert.ThrowsAsync<ArgumentException>(() => trainer.ResumeAsync(renamed, train, dev, checkpoint));
        var stack = await Assert.ThrowsAsync<ArgumentException>(() => trainer.ResumeAsync(TrainingScenarios.TwoFactsChain(world), train, dev, checkpoint));

        Assert.Contains("digits, lead, answer", other.Message, StringComparison.Ordinal);
        Assert.Contains("sum, lead, answer", other.Message, StringComparison.Ordinal);
        Assert.Contains("3-layer stack", stack.Message, StringComparison.Ordinal);

        // A stack's checkpoint names no nodes and does not resume a graph.
        var stackPath = Path.Combine(_folder.Path, "stack.checkpoint.json");
        await new VariationalTrainer(world, options, new TrainingRunOptions { CheckpointPath = stackPath }).TrainAsync(TrainingScenarios.TwoFactsChain(world), train, dev);
        Assert.DoesNotContain("\"nodes\"", await File.ReadAllTextAsync(stackPath), StringComparison.Ordinal);
        var stackCheckpoint = await TrainingCheckpoint.LoadAsync(stackPath);
        var graph = await Assert.ThrowsAsync<ArgumentException>(() => trainer.ResumeAsync(TrainingScenarios.TwoFactsGraph(world), train, dev, stackCheckpoint));
        Assert.Contains("this network is a graph", graph.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_run_folder_draws_the_graph_and_lists_the_prompts_each_node_chose()
    {
        var (train, dev, _) = TrainingScenarios.TwoFactsData();
        using var world = new ScriptedWorldModel(TwoFactsTask.Instance);
        var directory = Path.Combine(_folder.Path, "run");
        var network = TrainingScenarios.TwoFactsGraph(world);
        var options = TrainingScenarios.Dln2Small with { Iterations = 2, SkipUpdateWhenBatchCorrect = false };

        var result = await new VariationalTrainer(world, options, new TrainingRunOptions { RunDirectory = directory }).TrainAsync(network, train, dev);

        var report = await File.ReadAllTextAsync(Path.Combine(directory, RunFolder.ReportFileName));
        output.WriteLine(report);
        Assert.StartsWith("# Training report\n\nA graph of 3 nodes trained on 40 examples", report, StringComparison.Ordinal);
        Assert.Contains("```text\n" + network.Describe() + "\n```", report, StringComparison.Ordinal);
        Assert.Contains("digits <- input\nlead   <- input\nanswer <- input, digits, lead  (output)", report, StringComparison.Ordinal);
        Assert.Contains("Node `lead` (layer 1, hidden layer):", report, StringComparison.Ordinal);
        Assert.Contains("- Layer 2 (`answer`): scripted:world", report, StringComparison.Ordinal);
        Assert.Contains("## Prompts chosen per node", report, StringComparison.Ordinal);

        // Per node, one line per iteration that updated it, with the prompt it kept.
        foreach (var node in network.Nodes)
        {
            var section = report[report.IndexOf($"Node `{node.Name}`{(node.IsOutput ? " (output)" : string.Empty)}:\n\n- iteration", StringComparison.Ordinal)..];
            foreach (var (iteration, update) in result.History.SelectMany(h => h.Updates.Where(u => u.Layer == node.Index).Select(u => (h.Iteration, u))))
            {
                Assert.Contains($"- iteration {iteration}: ", section, StringComparison.Ordinal);
                Assert.Contains(update.SelectedPrompt, section, StringComparison.Ordinal);
            }
        }

        Assert.Matches(@"\| 1 \| .*; digits (current|memory|proposal) \(candidate", report);

        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, RunFolder.ConfigFileName)));
        var written = config.RootElement.GetProperty("network");
        Assert.Equal("graph", written.GetProperty("kind").GetString());
        Assert.Equal(network.Describe(), written.GetProperty("graph").GetString());
        var answer = written.GetProperty("layers")[2];
        Assert.Equal("answer", answer.GetProperty("node").GetString());
        Assert.Equal(["input", "digits", "lead"], answer.GetProperty("inputs").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("{input}\ndigits:\n{digits}\nlead:\n{lead}", answer.GetProperty("inputTemplate").GetString());
    }

    [Fact]
    public async Task Telemetry_tags_each_phase_with_its_layer_and_node_name()
    {
        var (train, dev, _) = TrainingScenarios.TwoFactsData();
        using var world = new ScriptedWorldModel(TwoFactsTask.Instance);
        var options = TrainingScenarios.Dln2Small with { Iterations = 1, SkipUpdateWhenBatchCorrect = false };
        using var capture = new TelemetryCapture();

        await new VariationalTrainer(world, options).TrainAsync(TrainingScenarios.TwoFactsGraph(world), train, dev);

        var spans = capture.Spans;
        Assert.Equal("graph", Assert.Single(spans, s => s.OperationName == "dln.train").GetTagItem("dln.network.kind"));
        var names = new[] { "digits", "lead", "answer" };
        foreach (var phase in new[] { "dln.posterior", "dln.propose", "dln.score" })
        {
            var phaseSpans = spans.Where(s => s.OperationName == phase).ToArray();
            Assert.NotEmpty(phaseSpans);
            Assert.All(phaseSpans, s => Assert.Equal(names[(int)s.GetTagItem("dln.layer")!], s.GetTagItem("dln.node")));
        }

        // Both hidden nodes' posteriors, and every node's proposals.
        Assert.Equal(["digits", "lead"], spans.Where(s => s.OperationName == "dln.posterior").Select(s => (string)s.GetTagItem("dln.node")!).Distinct().Order());
        Assert.Equal(names.Order(), spans.Where(s => s.OperationName == "dln.propose").Select(s => (string)s.GetTagItem("dln.node")!).Order());
    }
}
