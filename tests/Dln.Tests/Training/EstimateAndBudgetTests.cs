using DeepLanguageNetworks.Tests.Fakes;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

public class EstimateAndBudgetTests(ITestOutputHelper output)
{
    private static readonly OutputSpace YesNo = OutputSpace.FromClasses("yes|Yes", "no|No");

    private static (Example[] Train, Example[] Dev) Data()
    {
        var all = Enumerable.Range(0, 120).Select(i => new Example($"Item {i}: is it marked?", i % 2 == 0 ? "yes" : "no")).ToArray();
        return (all[..100], all[100..]);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public async Task Dry_run_estimate_is_within_ten_percent_of_the_calls_made(int depth, bool runtimeDecorators)
    {
        using var model = new HashingLanguageModel();
        var network = Dln.CreateDeep(model, Enumerable.Repeat(string.Empty, depth - 1), "Answer.", YesNo);
        var options = (depth == 1 ? VariationalTrainerOptions.Dln1 : VariationalTrainerOptions.Dln2) with
        {
            Iterations = 3,
            BatchSize = 8,
            PromptCandidates = 5,
            HiddenSamples = 3,
            // The estimate assumes no update is skipped; a batch answered all right by chance would skip one.
            SkipUpdateWhenBatchCorrect = false,
        };
        var (train, dev) = Data();
        var trainer = new VariationalTrainer(model, options, new TrainingRunOptions { RuntimeDecorators = runtimeDecorators ? RuntimeDecorators.All : RuntimeDecorators.None });

        var estimate = trainer.Estimate(network, train, dev);
        var result = await trainer.TrainAsync(network, train, dev);

        output.WriteLine($"depth {depth}, decorators {runtimeDecorators}: estimated {estimate}, made {model.Calls} ({result.Usage.Total.CacheHits} cache hits)\n{result.Usage}\n{TrainingScenarios.Describe(result)}");
        Assert.Equal(model.Calls, result.Calls);
        Assert.True(Math.Abs(estimate.Calls - model.Calls) <= 0.10 * model.Calls, $"estimate {estimate.Calls} vs actual {model.Calls}");
        Assert.True(estimate.Tokens > 0);
    }

    [Theory]
    [InlineData("fan-in", false)]
    [InlineData("fan-in", true)]
    [InlineData("shared reader", false)]
    [InlineData("shared reader", true)]
    public async Task Dry_run_estimate_of_a_graph_is_within_ten_percent_of_the_calls_made(string shape, bool runtimeDecorators)
    {
        using var model = new HashingLanguageModel();

        // Fan-in: two hidden nodes read the input, the answer reads both. Shared reader: "a" is read by "b" and by the
        // answer, so its posterior is weighed by two readers.
        var network = TrainingScenarios.TwoHiddenNodes(model, shape, YesNo);
        var options = VariationalTrainerOptions.Dln2 with { Iterations = 3, BatchSize = 8, PromptCandidates = 5, HiddenSamples = 3, SkipUpdateWhenBatchCorrect = false };
        var (train, dev) = Data();
        var trainer = new VariationalTrainer(model, options, new TrainingRunOptions { RuntimeDecorators = runtimeDecorators ? RuntimeDecorators.All : RuntimeDecorators.None });

        var estimate = trainer.Estimate(network, train, dev);
        var result = await trainer.TrainAsync(network, train, dev);

        output.WriteLine($"{shape}, decorators {runtimeDecorators}: estimated {estimate}, made {model.Calls} ({result.Usage.Total.CacheHits} cache hits)\n{result.Usage}");
        Assert.Equal(model.Calls, result.Calls);
        Assert.True(Math.Abs(estimate.Calls - model.Calls) <= 0.10 * model.Calls, $"estimate {estimate.Calls} vs actual {model.Calls}");
    }

    [Fact]
    public void Estimate_makes_no_call()
    {
        using var model = new HashingLanguageModel();
        var (train, dev) = Data();
        var estimate = new VariationalTrainer(model).Estimate(Dln.CreateOneLayer(model, "Answer.", YesNo), train, dev);
        Assert.Equal(0, model.Calls);
        // Published DLN-1 settings: 20 forward + 19 proposals + 19 new candidates x 20 examples per iteration (the
        // current prompt's scores are the forward pass's, answered by the cache).
        Assert.Equal(20 + 19 + (19 * 20), estimate.CallsPerIteration);
        Assert.Equal(11, estimate.Validations);
    }

    [Fact]
    public async Task A_call_budget_stops_training_at_an_iteration_boundary_with_the_best_prompts_kept()
    {
        using var model = new HashingLanguageModel();
        var (train, dev) = Data();
        var network = Dln.CreateOneLayer(model, "Answer.", YesNo);
        var trainer = new VariationalTrainer(
            model,
            VariationalTrainerOptions.Dln1 with { Iterations = 10, BatchSize = 8, PromptCandidates = 5, ValidationInterval = 1 },
            new TrainingRunOptions { Budget = new UsageBudget { MaxCalls = 150 } });

        var result = await trainer.TrainAsync(network, train, dev);

        output.WriteLine($"stopped after {result.IterationsCompleted} iterations, {result.Calls} calls: {result.StopReason}");
        Assert.NotNull(result.StopReason);
        Assert.Contains("MaxCalls", result.StopReason);
        Assert.Contains("best prompts", result.StopReason);
        Assert.InRange(result.IterationsCompleted, 1, 9);
        // Stopped at a boundary: the last iteration that started also finished.
        Assert.Equal(result.IterationsCompleted, result.History.Count(h => h.Iteration > 0));
        Assert.Equal(result.BestPrompts, network.Prompts);
        var bestDev = result.History.Where(h => h.DevAccuracy is not null).Max(h => h.DevAccuracy!.Value);
        Assert.Equal(bestDev, result.BestDevAccuracy);
    }
}
