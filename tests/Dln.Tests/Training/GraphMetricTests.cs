using System.Text.Json;
using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// A graph trained with a metric other than exact match (<see cref="TwoFactsTextTask"/>: a free-text answer node that
/// reads two hidden nodes, scored by token F1): the metric drives the walk, and the checkpoint, the saved schema-2
/// network and its evaluation after loading all carry it.
/// </summary>
public sealed class GraphMetricTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Dln FreeTextGraph(ILanguageModel model) => Dln.CreateGraph()
        .AddLayer("digits", new LanguageLayer(model, LayerTemplates.Hidden, string.Empty, OutputSpace.FreeText(32)))
        .AddLayer("lead", new LanguageLayer(model, TwoFactsTask.WholeViewTemplate, string.Empty, OutputSpace.FreeText(32)))
        .AddLayer("answer", new LanguageLayer(model, LayerTemplates.Output, TrainingScenarios.UninformativePrompt, OutputSpace.FreeText(16)), inputs: ["input", "digits", "lead"])
        .Build(output: "answer");

    [Fact]
    public async Task A_fan_in_graph_trained_by_token_F1_saves_loads_and_evaluates_with_its_metric()
    {
        var (train, dev, test) = TwoFactsTextTask.Splits(perClassTrain: 10, perClassDev: 8, perClassTest: 8);
        using var world = new ScriptedWorldModel(TwoFactsTextTask.Instance);
        var network = FreeTextGraph(world);
        var checkpointPath = Path.Combine(_folder.Path, "graph.checkpoint.json");
        var tokenF1 = new MetricIdentity("token F1");

        // Accuracy scoring: the answer node's candidates and the hidden nodes' samples are scored by the metric of the
        // answers it generates; the hidden nodes' own prompts by the continuation log-likelihood of their best samples.
        var options = TrainingScenarios.Dln2Small with { Metric = Metrics.TokenF1, OutputScoring = OutputScoring.Accuracy };
        var result = await new VariationalTrainer(world, options, new TrainingRunOptions { CheckpointPath = checkpointPath }).TrainAsync(network, train, dev);
        output.WriteLine(TrainingScenarios.Describe(result));

        Assert.Equal(tokenF1, result.Metric);
        Assert.True(result.InitialDevScore <= 0.6, $"initial dev {result.InitialDevScore}");
        Assert.True(result.BestDevScore >= 0.9, $"best dev {result.BestDevScore}");
        Assert.Contains(TwoFactsTask.SumPhrase, network.GetNode("digits").Layer.Prompt, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(TwoFactsTask.LeadPhrase, network.GetNode("lead").Layer.Prompt, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, world.NextTokenCalls);
        Assert.Equal(tokenF1, network.TrainedMetric);

        // The checkpoint names the graph's nodes and the metric; a resume with another metric is refused.
        var checkpoint = await TrainingCheckpoint.LoadAsync(checkpointPath);
        Assert.Equal(["digits", "lead", "answer"], checkpoint.Nodes);
        Assert.Equal(tokenF1, checkpoint.Metric);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            new VariationalTrainer(world, options with { Metric = Metrics.ExactMatch }).ResumeAsync(FreeTextGraph(world), train, dev, checkpoint));
        Assert.Contains("'token F1'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'exact match'", refused.Message, StringComparison.Ordinal);

        // Saved as a schema-2 graph with its metric, it loads with the same nodes, prompts and metric.
        var path = Path.Combine(_folder.Path, "graph-network.json");
        await network.SaveAsync(path);
        using (var document = JsonDocument.Parse(await File.ReadAllTextAsync(path)))
        {
            Assert.Equal(2, document.RootElement.GetProperty("schemaVersion").GetInt32());
            Assert.Equal("token F1", document.RootElement.GetProperty("metric").GetProperty("name").GetString());
            Assert.Equal(["digits", "lead", "answer"], document.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        }

        var loaded = await Dln.LoadAsync(path, world);
        Assert.Equal(tokenF1, loaded.TrainedMetric);
        Assert.Equal(network.Describe(), loaded.Describe());
        Assert.Equal(network.Prompts, loaded.Prompts);

        // Evaluated by its metric, the loaded network scores what the trained one does, example by example.
        var trained = await network.EvaluateAsync(test, Metrics.TokenF1);
        var reloaded = await loaded.EvaluateAsync(test, Metrics.TokenF1);
        output.WriteLine($"test token F1: trained {trained.MeanScore:0.000}, loaded {reloaded.MeanScore:0.000}");
        Assert.Equal(tokenF1, reloaded.Metric);
        Assert.True(reloaded.MeanScore >= 0.9, $"test token F1 {reloaded.MeanScore}");
        Assert.Equal(trained.Results.Select(r => r.Score), reloaded.Results.Select(r => r.Score));

        // The metric gives the partial credit exact match cannot: with one hidden node forgetting its prompt the answer
        // names one fact of two.
        loaded.GetNode("lead").Layer.Prompt = string.Empty;
        var oneFact = await loaded.EvaluateAsync(test, Metrics.TokenF1);
        var oneFactExact = await loaded.EvaluateAsync(test, Metrics.ExactMatch);
        Assert.All(oneFact.Results, r => Assert.Equal(2.0 / 3, r.Score, 12));
        Assert.Equal(0, oneFactExact.MeanScore);
    }

    [Fact]
    public async Task The_answer_nodes_candidates_and_the_hidden_nodes_weights_follow_the_runs_metric()
    {
        // One iteration from the same seed, batch and samples, once by exact match and once by token F1. The answer node
        // reads each posterior sample with the other hidden node at its forward value (empty prompts state no fact), so
        // an answer names at most one fact: exact match scores every candidate 0, token F1 gives partial credit, at most 2/3.
        var (train, dev, _) = TwoFactsTextTask.Splits(perClassTrain: 10, perClassDev: 8, perClassTest: 8);
        async Task<TrainingProgress> FirstIterationAsync(IMetric metric)
        {
            using var world = new ScriptedWorldModel(TwoFactsTextTask.Instance);
            var options = TrainingScenarios.Dln2Small with { Metric = metric, OutputScoring = OutputScoring.Accuracy, Iterations = 1 };
            var result = await new VariationalTrainer(world, options).TrainAsync(FreeTextGraph(world), train, dev);
            output.WriteLine($"{metric.Name}: {TrainingScenarios.Describe(result)}");
            Assert.Equal(0, world.NextTokenCalls);
            return result.History.Single(h => h.Iteration == 1);
        }

        var exact = await FirstIterationAsync(Metrics.ExactMatch);
        var tokenF1 = await FirstIterationAsync(Metrics.TokenF1);

        var exactAnswer = exact.Updates.Single(u => u.Layer == 2);
        var f1Answer = tokenF1.Updates.Single(u => u.Layer == 2);
        Assert.Equal(0, exactAnswer.CurrentScore);
        Assert.All(exactAnswer.CandidateScores, c => Assert.Equal(0, c.Score));
        Assert.InRange(f1Answer.CurrentScore, 0.05, 2.0 / 3);
        Assert.All(f1Answer.CandidateScores, c => Assert.InRange(c.Score, 0, (2.0 / 3) + 1e-12));

        // The hidden nodes' posteriors are weighed by the answer node's metric of the answer: exact match weighs every
        // sample alike, token F1 favours the samples that state a fact, so the hidden nodes' objectives differ.
        foreach (var layer in new[] { 0, 1 })
        {
            Assert.NotEqual(exact.Updates.Single(u => u.Layer == layer).SelectedScore, tokenF1.Updates.Single(u => u.Layer == layer).SelectedScore);
        }
    }
}
