using DeepLanguageNetworks.Tests.Fakes;
using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// The dry-run estimate against the calls real runs make: within 15% on several shapes (depth, racing, cache, class
/// scoring by continuation), never above its upper bound, and, with assumptions measured on a pilot run, on graphs whose
/// candidates race and on the scripted world, where proposals repeat, updates are skipped and validations are answered
/// from the dev-score cache.
/// </summary>
public class EstimateShapesTests(ITestOutputHelper output)
{
    private static readonly OutputSpace YesNo = OutputSpace.FromClasses("yes|Yes", "no|No");

    public static TheoryData<int, bool, bool> Shapes
    {
        get
        {
            var data = new TheoryData<int, bool, bool>();
            foreach (var depth in new[] { 1, 2, 3 })
            {
                foreach (var racing in new[] { false, true })
                {
                    foreach (var cache in new[] { false, true })
                    {
                        data.Add(depth, racing, cache);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task The_estimate_is_within_15_percent_of_the_calls_made_and_never_below_them_at_its_bound(int depth, bool racing, bool cache)
    {
        using var model = new HashingLanguageModel();
        var network = Dln.CreateDeep(model, Enumerable.Repeat(string.Empty, depth - 1), "Answer.", YesNo);
        var options = Options(depth, racing);
        var (train, dev) = Data();
        var trainer = new VariationalTrainer(model, options, new TrainingRunOptions { RuntimeDecorators = cache ? RuntimeDecorators.All : RuntimeDecorators.None });

        var estimate = trainer.Estimate(network, train, dev);
        var result = await trainer.TrainAsync(network, train, dev);

        Check(estimate, result, $"depth {depth}, racing {racing}, cache {cache}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task With_the_low_cost_schedule_the_bound_holds_and_the_expected_value_is_not_below_the_calls_made(int depth)
    {
        // The estimate does not model the candidates the drop margin removes (CandidateRacingOptions' remarks): what
        // it may not do is promise fewer calls than a run makes.
        using var model = new HashingLanguageModel();
        var network = Dln.CreateDeep(model, Enumerable.Repeat(string.Empty, depth - 1), "Answer.", YesNo);
        var options = Options(depth, racing: true) with { CandidateRacing = CandidateRacingOptions.LowCost };
        var (train, dev) = Data();
        var trainer = new VariationalTrainer(model, options);

        var estimate = trainer.Estimate(network, train, dev);
        var result = await trainer.TrainAsync(network, train, dev);

        output.WriteLine($"depth {depth}: {estimate.Calls} vs {result.Calls}, bound {estimate.MaxCalls}");
        Assert.True(result.Calls <= estimate.MaxCalls, $"made {result.Calls}, above the bound {estimate.MaxCalls}");
        Assert.True(result.Calls <= estimate.Calls * 1.05, $"made {result.Calls}, estimated {estimate.Calls}");
        var faithful = await new VariationalTrainer(model, Options(depth, racing: false)).TrainAsync(Dln.CreateDeep(model, Enumerable.Repeat(string.Empty, depth - 1), "Answer.", YesNo), train, dev);
        Assert.True(result.Calls < faithful.Calls, $"low cost {result.Calls}, faithful {faithful.Calls}");
    }

    [Theory]
    [InlineData("fan-in", false)]
    [InlineData("fan-in", true)]
    [InlineData("shared reader", false)]
    [InlineData("shared reader", true)]
    public async Task A_racing_graphs_estimate_is_within_15_percent_of_the_calls_made(string shape, bool cache)
    {
        // The calls of a graph's walk (two posteriors the answer races its candidates over, or a posterior weighed by
        // two readers) with the behaviour of the run measured on a pilot of another seed: on this backend the memory
        // may stay empty and validations repeat when dev accuracy never improves, which the default assumptions do not
        // expect (they are checked against their bound below).
        var pilot = await GraphRunAsync(shape, cache, seed: 7, assumptions: null);
        var assumptions = TrainingEstimateAssumptions.FromResult(pilot.Result, pilot.DevSize);
        var run = await GraphRunAsync(shape, cache, seed: 42, assumptions);
        var defaults = await GraphRunAsync(shape, cache, seed: 42, TrainingEstimateAssumptions.Default);

        output.WriteLine($"assumptions from the pilot: {assumptions}; default estimate {defaults.Estimate!.Calls}");
        Check(run.Estimate!, run.Result, $"{shape}, racing, cache {cache}, calibrated");
        Assert.True(defaults.Result.Calls <= defaults.Estimate.MaxCalls, $"made {defaults.Result.Calls}, above the bound {defaults.Estimate.MaxCalls}");
        Assert.True(Math.Abs(defaults.Estimate.Calls - defaults.Result.Calls) <= 0.2 * defaults.Result.Calls, $"default assumptions: estimated {defaults.Estimate.Calls}, made {defaults.Result.Calls}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Class_scoring_by_continuation_is_counted_per_spelling(bool racing)
    {
        using var model = new HashingLanguageModel();
        var layer = new LanguageLayer(model, LayerTemplates.Output, "Answer.", YesNo, new LanguageLayerOptions { ClassScoring = ClassScoring.Continuation });
        var network = new Dln([layer]);
        var (train, dev) = Data();
        var trainer = new VariationalTrainer(model, Options(1, racing) with { Iterations = 6, PromptCandidates = 12 });

        var estimate = trainer.Estimate(network, train, dev);
        var result = await trainer.TrainAsync(network, train, dev);

        // Four spellings (yes, Yes, no, No): four continuation calls per class scoring.
        Assert.Equal(4 * dev.Length, estimate.CallsByRole[CallRole.Evaluation] / estimate.Validations);
        Check(estimate, result, $"continuation class scoring, racing {racing}");
    }

    [Theory]
    [InlineData("dln1", false)]
    [InlineData("dln1", true)]
    [InlineData("dln2", false)]
    [InlineData("dln2", true)]
    public async Task Assumptions_measured_on_a_pilot_run_estimate_the_next_run(string scenario, bool racing)
    {
        // The scripted world repeats proposals, answers whole batches right (skipped updates) and keeps prompts, so its
        // validations come from the dev-score cache: the default assumptions overestimate it, a pilot measures it.
        var pilot = await ScriptedRunAsync(scenario, racing, seed: 7, estimate: null);
        var assumptions = TrainingEstimateAssumptions.FromResult(pilot.Result, pilot.DevSize);
        var run = await ScriptedRunAsync(scenario, racing, seed: 42, estimate: assumptions);
        var defaults = await ScriptedRunAsync(scenario, racing, seed: 42, estimate: TrainingEstimateAssumptions.Default);

        output.WriteLine($"assumptions from the pilot: {assumptions}; default estimate {defaults.Estimate!.Calls}");
        Check(run.Estimate!, run.Result, $"{scenario}, racing {racing}, calibrated");
        Assert.True(defaults.Estimate.Calls > run.Estimate!.Calls, "the pilot's assumptions should lower the estimate on this world");
    }

    [Fact]
    public void Assumptions_are_checked_and_the_defaults_are_a_backend_that_never_repeats_itself()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingEstimateAssumptions { DistinctProposalFraction = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingEstimateAssumptions { SkippedUpdateFraction = -0.1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingEstimateAssumptions { MemoryCandidates = -1 });
        var d = TrainingEstimateAssumptions.Default;
        Assert.Equal((1.0, 0.0, 0.0, 1.0), (d.DistinctProposalFraction, d.SkippedUpdateFraction, d.RepeatedValidationFraction, d.ValidationItemFraction));
    }

    private void Check(TrainingEstimate estimate, TrainingResult result, string shape)
    {
        var made = result.Calls;
        output.WriteLine($"{shape}: {estimate.Calls} vs {made} ({(estimate.Calls - made) / (double)made:+0.00;-0.00}), bound {estimate.MaxCalls}");
        Assert.True(Math.Abs(estimate.Calls - made) <= 0.15 * made, $"{shape}: estimated {estimate.Calls}, made {made} ({result.Usage})");
        Assert.True(made <= estimate.MaxCalls, $"{shape}: made {made}, above the bound {estimate.MaxCalls}");
        Assert.True(estimate.Calls <= estimate.MaxCalls);
    }

    private static VariationalTrainerOptions Options(int depth, bool racing) =>
        (depth == 1 ? VariationalTrainerOptions.Dln1 : VariationalTrainerOptions.Dln2) with
        {
            Iterations = 4,
            BatchSize = 10,
            PromptCandidates = 8,
            HiddenSamples = 3,
            SkipUpdateWhenBatchCorrect = false,
            CandidateRacing = racing ? new CandidateRacingOptions() : null,
        };

    private static (Example[] Train, Example[] Dev) Data()
    {
        var all = Enumerable.Range(0, 130).Select(i => new Example($"Item {i}: is it marked?", i % 2 == 0 ? "yes" : "no")).ToArray();
        return (all[..100], all[100..]);
    }

    private static async Task<(TrainingResult Result, TrainingEstimate? Estimate, int DevSize)> GraphRunAsync(string shape, bool cache, int seed, TrainingEstimateAssumptions? assumptions)
    {
        using var model = new HashingLanguageModel();

        // The hidden nodes start from different prompts, as the nodes of a real graph do (two identical nodes would
        // answer each other's calls from the cache).
        var network = TrainingScenarios.TwoHiddenNodes(model, shape, YesNo, promptA: "List the facts.", promptB: "Judge the tone.");
        var (train, dev) = Data();
        var trainer = new VariationalTrainer(model, Options(3, racing: true) with { Seed = seed }, new TrainingRunOptions { RuntimeDecorators = cache ? RuntimeDecorators.All : RuntimeDecorators.None });
        var estimate = assumptions is null ? null : trainer.Estimate(network, train, dev, assumptions);
        return (await trainer.TrainAsync(network, train, dev), estimate, dev.Length);
    }

    private static async Task<(TrainingResult Result, TrainingEstimate? Estimate, int DevSize)> ScriptedRunAsync(string scenario, bool racing, int seed, TrainingEstimateAssumptions? estimate)
    {
        var options = (scenario == "dln1" ? TrainingScenarios.Dln1Small : TrainingScenarios.Dln2Small) with
        {
            Seed = seed,
            CandidateRacing = racing ? new CandidateRacingOptions() : null,
            StopValidationEarly = racing,
        };
        if (scenario == "dln1")
        {
            var (train, dev, _) = NumberParityTask.Splits();
            using var world = new ScriptedWorldModel(NumberParityTask.Instance);
            var network = TrainingScenarios.NumberNetwork(world);
            var trainer = new VariationalTrainer(world, options);
            var projected = estimate is null ? null : trainer.Estimate(network, train, dev, estimate);
            return (await trainer.TrainAsync(network, train, dev), projected, dev.Length);
        }

        var (dtrain, ddev, _) = TrainingScenarios.DigitSumData();
        using var deepWorld = new ScriptedWorldModel(DigitSumTask.TwoStep);
        var deep = TrainingScenarios.DigitSumTwoLayer(deepWorld);
        var deepTrainer = new VariationalTrainer(deepWorld, options);
        var deepProjected = estimate is null ? null : deepTrainer.Estimate(deep, dtrain, ddev, estimate);
        return (await deepTrainer.TrainAsync(deep, dtrain, ddev), deepProjected, ddev.Length);
    }
}
