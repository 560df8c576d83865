using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// The fan-in world (<see cref="TwoFactsTask"/>): the answer needs two facts, and each can be stated only by one kind
/// of hidden node. A graph whose answer reads both hidden nodes learns both prompts; a stack of the same three layers,
/// given more calls per iteration, cannot, because its answer reads only the last hidden text.
/// </summary>
public class GraphEndToEndTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(42)]
    [InlineData(7)]
    [InlineData(13)]
    public async Task A_fan_in_graph_learns_the_two_hidden_prompts_its_answer_needs(int seed)
    {
        var (train, dev, test) = TrainingScenarios.TwoFactsData();
        using var world = new ScriptedWorldModel(TwoFactsTask.Instance);
        var network = TrainingScenarios.TwoFactsGraph(world);
        var options = TrainingScenarios.Dln2Small with { Seed = seed };

        var result = await new VariationalTrainer(world, options).TrainAsync(network, train, dev);
        var testAccuracy = (await network.EvaluateAsync(test)).Accuracy;
        output.WriteLine(TrainingScenarios.Describe(result));
        output.WriteLine($"graph, seed {seed}: initial dev {result.InitialDevAccuracy:0.000}, best dev {result.BestDevAccuracy:0.000}, test {testAccuracy:0.000}, calls {result.Calls}");

        Assert.True(result.InitialDevAccuracy <= 0.6, $"initial dev {result.InitialDevAccuracy}");
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
        Assert.True(testAccuracy >= 0.9, $"test accuracy {testAccuracy}");
        Assert.Contains(TwoFactsTask.SumPhrase, network.GetNode("digits").Layer.Prompt, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(TwoFactsTask.LeadPhrase, network.GetNode("lead").Layer.Prompt, StringComparison.OrdinalIgnoreCase);

        // Both hidden nodes were chosen by the walk, and the answer really reads the two facts.
        var updated = result.History.SelectMany(h => h.Updates).Select(u => u.Layer).ToHashSet();
        Assert.Superset(new HashSet<int> { 0, 1, 2 }, updated);
        var number = NumberParityTask.ParseNumber(test[0].Input)!.Value;
        var answer = await network.InvokeAsync(test[0].Input);
        Assert.Equal(DigitSumTask.Fact(DigitSumTask.DigitSum(number)), answer.Outputs["digits"]);
        Assert.Equal($"first digit = {TwoFactsTask.FirstDigit(number)}", answer.Outputs["lead"]);
        Assert.Equal(test[0].Target, answer.Output);
    }

    [Fact]
    public async Task A_stack_of_the_same_layers_with_more_calls_per_iteration_does_not_learn_it()
    {
        var (train, dev, _) = TrainingScenarios.TwoFactsData();
        var graphOptions = TrainingScenarios.Dln2Small;
        using var graphWorld = new ScriptedWorldModel(TwoFactsTask.Instance);
        var graphTrainer = new VariationalTrainer(graphWorld, graphOptions);
        var graph = graphTrainer.Estimate(TrainingScenarios.TwoFactsGraph(graphWorld), train, dev);
        var graphResult = await graphTrainer.TrainAsync(TrainingScenarios.TwoFactsGraph(graphWorld), train, dev);

        // The stack gets twice the hidden samples and updates on every batch: more calls in every iteration.
        var chainOptions = graphOptions with { HiddenSamples = 2 * graphOptions.HiddenSamples, SkipUpdateWhenBatchCorrect = false };
        using var chainWorld = new ScriptedWorldModel(TwoFactsTask.Instance);
        var chainTrainer = new VariationalTrainer(chainWorld, chainOptions);
        var chain = chainTrainer.Estimate(TrainingScenarios.TwoFactsChain(chainWorld), train, dev);
        var chainResult = await chainTrainer.TrainAsync(TrainingScenarios.TwoFactsChain(chainWorld), train, dev);

        static long FirstIterationCalls(TrainingResult r) => r.History[1].Calls - r.History[0].Calls;
        output.WriteLine(TrainingScenarios.Describe(chainResult));
        output.WriteLine($"graph: best dev {graphResult.BestDevAccuracy:0.000}, estimated {graph.CallsPerIteration} calls per iteration, {FirstIterationCalls(graphResult)} made in iteration 1, {graphResult.Calls} in all");
        output.WriteLine($"stack: best dev {chainResult.BestDevAccuracy:0.000}, estimated {chain.CallsPerIteration} calls per iteration, {FirstIterationCalls(chainResult)} made in iteration 1, {chainResult.Calls} in all");

        Assert.True(chain.CallsPerIteration >= graph.CallsPerIteration, $"stack {chain.CallsPerIteration} vs graph {graph.CallsPerIteration} estimated calls per iteration");
        Assert.True(FirstIterationCalls(chainResult) >= FirstIterationCalls(graphResult), $"stack {FirstIterationCalls(chainResult)} vs graph {FirstIterationCalls(graphResult)} calls in iteration 1");
        Assert.True(chainResult.Calls > graphResult.Calls);
        Assert.True(graphResult.BestDevAccuracy >= 0.9, $"graph best dev {graphResult.BestDevAccuracy}");
        Assert.Equal(chainOptions.Iterations, chainResult.IterationsCompleted);
        Assert.All(chainResult.History.Skip(1), h => Assert.NotEmpty(h.Updates));
        Assert.True(chainResult.BestDevAccuracy < 0.9, $"stack best dev {chainResult.BestDevAccuracy}");
    }
}
