using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// The phase reports of <see cref="TrainingRunOptions.ActivityProgress"/>: phases arrive in the order an iteration runs
/// them, each from 0 calls done to its planned calls, one request at a time, and together they account for every
/// request of the run.
/// </summary>
public sealed class TrainingActivityTests
{
    [Fact]
    public async Task A_one_layer_run_reports_forward_proposals_scoring_and_validation_in_order_with_every_planned_call_done()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var (train, dev, _) = NumberParityTask.Splits();
        var reports = new List<TrainingActivity>();
        var progress = new List<TrainingProgress>();
        var trainer = new VariationalTrainer(world, TrainingScenarios.Dln1Small, new TrainingRunOptions
        {
            ActivityProgress = new Recorder<TrainingActivity>(reports),
            Prices = new PriceTable([new("world", new ModelPrice(1m, 2m))]),
        });

        var result = await trainer.TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev, new Recorder<TrainingProgress>(progress));

        var phases = Phases(reports);
        Assert.Equal((0, TrainingActivityPhase.Validation, (int?)null), (phases[0].Iteration, phases[0].Phase, phases[0].Layer));
        Assert.Equal(dev.Length, phases[0].CallsPlanned); // one next-token call per dev example
        foreach (var iteration in progress.Where(p => p.Iteration > 0))
        {
            var own = phases.Where(p => p.Iteration == iteration.Iteration).Select(p => p.Phase).ToArray();
            TrainingActivityPhase[] expected = iteration.Skipped
                ? [TrainingActivityPhase.Forward]
                : [TrainingActivityPhase.Forward, TrainingActivityPhase.Proposals, TrainingActivityPhase.Scoring];
            Assert.Equal(iteration.DevAccuracy is null ? expected : [.. expected, TrainingActivityPhase.Validation], own);
        }

        var forward = phases.First(p => p.Phase == TrainingActivityPhase.Forward);
        Assert.Equal(TrainingScenarios.Dln1Small.BatchSize, forward.CallsPlanned);
        Assert.All(phases.Where(p => p.Phase == TrainingActivityPhase.Proposals), p => Assert.Equal(TrainingScenarios.Dln1Small.PromptCandidates - 1, p.CallsPlanned));
        Assert.All(phases.Where(p => p.Phase == TrainingActivityPhase.Scoring), p =>
        {
            Assert.Equal(0, p.Layer);
            Assert.InRange(p.Candidates, 1, TrainingScenarios.Dln1Small.PromptCandidates + TrainingScenarios.Dln1Small.MemorySize);
            Assert.Equal(p.Candidates * TrainingScenarios.Dln1Small.BatchSize, p.CallsPlanned);
        });

        AssertConsistent(reports, result);
        Assert.Equal(result.Usage.Total.Cost, reports[^1].Cost);
        Assert.True(reports[^1].Cost > 0);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_deep_run_reports_the_posterior_of_every_hidden_layer_and_walks_the_layers_down(int depth)
    {
        using var world = new ScriptedWorldModel(depth == 2 ? DigitSumTask.TwoStep : DigitSumTask.ThreeStep);
        var (train, dev, _) = TrainingScenarios.DigitSumData();
        var reports = new List<TrainingActivity>();
        var network = depth == 2 ? TrainingScenarios.DigitSumTwoLayer(world) : TrainingScenarios.DigitSumThreeLayer(world);
        var options = TrainingScenarios.Dln2Small with { Iterations = 2, SkipUpdateWhenBatchCorrect = false };

        var result = await new VariationalTrainer(world, options, new TrainingRunOptions { ActivityProgress = new Recorder<TrainingActivity>(reports) }).TrainAsync(network, train, dev);

        var first = Phases(reports).Where(p => p.Iteration == 1).Select(p => (p.Phase, p.Layer)).ToArray();
        var walk = new List<(TrainingActivityPhase, int?)> { (TrainingActivityPhase.Forward, null) };
        for (var text = depth - 2; text >= 0; text--)
        {
            // The posterior of the text layer `text` wrote; the layer above it (that reads it) is chosen, then the writer's
            // turn. The output layer's proposals begin first and run while the posterior is sampled.
            if (text == depth - 2)
            {
                walk.Add((TrainingActivityPhase.Proposals, depth - 1));
                walk.Add((TrainingActivityPhase.Posterior, text));
                walk.Add((TrainingActivityPhase.Scoring, depth - 1));
            }
            else
            {
                walk.Add((TrainingActivityPhase.Posterior, text));
            }

            walk.Add((TrainingActivityPhase.Proposals, text));
            walk.Add((TrainingActivityPhase.Scoring, text));
        }

        Assert.Equal(walk, first);
        var posterior = Phases(reports).First(p => p.Phase == TrainingActivityPhase.Posterior);
        Assert.True(posterior.CallsPlanned >= options.BatchSize * options.HiddenSamples * 2, $"{posterior.CallsPlanned} planned");
        AssertConsistent(reports, result);
    }

    [Fact]
    public async Task Accuracy_scoring_asks_for_no_log_probabilities_even_from_a_backend_that_offers_them()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var (train, dev, _) = NumberParityTask.Splits();
        var reports = new List<TrainingActivity>();
        var network = TrainingScenarios.NumberNetwork(world);

        var result = await new VariationalTrainer(world, TrainingScenarios.Dln1Small with { OutputScoring = OutputScoring.Accuracy },
            new TrainingRunOptions { ActivityProgress = new Recorder<TrainingActivity>(reports) }).TrainAsync(network, train, dev);

        Assert.Equal(0, world.NextTokenCalls);
        Assert.True(world.Generations > 0);
        Assert.All(result.History.Where(h => h.Iteration > 0), h => Assert.Null(h.TrainLoss));
        AssertConsistent(reports, result);

        // The caller's network is not changed: with its backend's log-probabilities it still scores the classes.
        var answer = await network.InvokeAsync(train[0].Input);
        Assert.NotNull(answer.Distribution);
        Assert.Equal(1, world.NextTokenCalls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_graph_run_reports_every_node_and_plans_the_calls_of_every_posterior_its_answer_reads(bool racing)
    {
        var (train, dev, _) = TrainingScenarios.TwoFactsData();
        using var world = new ScriptedWorldModel(TwoFactsTask.Instance);
        var reports = new List<TrainingActivity>();
        var options = TrainingScenarios.Dln2Small with { Iterations = 2, SkipUpdateWhenBatchCorrect = false, CandidateRacing = racing ? new CandidateRacingOptions() : null };

        var result = await new VariationalTrainer(world, options, new TrainingRunOptions { ActivityProgress = new Recorder<TrainingActivity>(reports) })
            .TrainAsync(TrainingScenarios.TwoFactsGraph(world), train, dev);

        // The answer (node 2) reads two posteriors (digits and lead), and each hidden node gets its own.
        var first = Phases(reports).Where(p => p.Iteration == 1).ToArray();
        Assert.Equal([0, 1], first.Where(p => p.Phase == TrainingActivityPhase.Posterior).Select(p => p.Layer!.Value).Order());
        Assert.Equal([0, 1, 2], first.Where(p => p.Phase == TrainingActivityPhase.Scoring).Select(p => p.Layer!.Value).Order());
        if (!racing)
        {
            // Every candidate of the answer is scored, for each batch example, on every sample of both posteriors (and once
            // on its forward input for the trust region).
            var answer = first.Single(p => p.Phase == TrainingActivityPhase.Scoring && p.Layer == 2);
            var perExample = (2 * options.HiddenSamples) + (options.TrustRegionFactor > 0 ? 1 : 0);
            Assert.Equal(answer.Candidates * options.BatchSize * perExample, answer.CallsPlanned);
        }

        AssertConsistent(reports, result, racing);
    }

    /// <summary>The last report of each phase, in the order the phases began (phases overlap, so they may end in another order).</summary>
    private static List<TrainingActivity> Phases(List<TrainingActivity> reports)
    {
        var began = new List<(TrainingActivityPhase, int, int?)>();
        foreach (var report in reports.Where(r => r.CallsDone == 0 && !r.IsCompleted))
        {
            if (!began.Contains((report.Phase, report.Iteration, report.Layer)))
            {
                began.Add((report.Phase, report.Iteration, report.Layer));
            }
        }

        return reports.Where(r => r.IsCompleted).OrderBy(r => began.IndexOf((r.Phase, r.Iteration, r.Layer))).ToList();
    }

    private static void AssertConsistent(List<TrainingActivity> reports, TrainingResult result, bool racing = false)
    {
        // Reports of overlapping phases interleave; each phase, read alone: a first report with nothing done, then one
        // report per completed request or change of plan, then its last, with every planned request done.
        var requests = 0L;
        foreach (var phase in reports.GroupBy(r => (r.Iteration, r.Phase, r.Layer)))
        {
            var own = phase.ToList();
            Assert.Equal(0, own[0].CallsDone);
            Assert.False(own[0].IsCompleted);
            Assert.Single(own, r => r.IsCompleted);
            Assert.True(own[^1].IsCompleted, $"{phase.Key}: a report after the phase ended");
            foreach (var (before, after) in own.Zip(own.Skip(1)))
            {
                Assert.InRange(after.CallsDone - before.CallsDone, 0, 1);
                Assert.True(after.CallsDone <= after.CallsPlanned, $"{phase.Key}: {after.CallsDone} done of {after.CallsPlanned} planned");
                if (after.CallsDone > before.CallsDone)
                {
                    Assert.Equal(before.CallsPlanned, after.CallsPlanned); // a completed request does not change the plan
                }
            }

            var end = own[^1];
            if (racing && end.Phase == TrainingActivityPhase.Scoring)
            {
                Assert.InRange(end.CallsDone, 1, end.CallsPlanned); // racing stops candidates before the whole batch
            }
            else
            {
                Assert.Equal(end.CallsPlanned, end.CallsDone);
            }

            Assert.Equal(result.History.Count > 0 ? result.History[0].TotalIterations : 0, end.TotalIterations);
            requests += end.CallsDone;
        }

        // Every request of the run (backend calls and cache hits) was done in some phase.
        Assert.Equal(result.Usage.Total.Requests, requests);
        Assert.Equal(result.Calls, reports[^1].Calls);
        Assert.Equal(result.Tokens, reports[^1].Tokens);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Calls <= p.Second.Calls && p.First.Tokens <= p.Second.Tokens));
    }

    private sealed class Recorder<T>(List<T> into) : IProgress<T>
    {
        public void Report(T value) => into.Add(value);
    }
}
