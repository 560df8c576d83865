using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>The parts of the trainer, one at a time: candidate selection, validation bookkeeping, posteriors, random streams.</summary>
public class TrainerPartsTests
{
    [Fact]
    public void Candidates_are_the_current_prompt_then_new_memory_prompts_then_new_proposals_each_once()
    {
        var candidates = PromptSelector.Candidates("a", ["b", "a", "b", "c"], ["d", "a", "c", "e", "d"], out var duplicates);

        Assert.Equal(
            [("a", CandidateOrigin.Current), ("b", CandidateOrigin.Memory), ("c", CandidateOrigin.Memory), ("d", CandidateOrigin.Proposal), ("e", CandidateOrigin.Proposal)],
            candidates);
        // Proposals equal to an earlier candidate are not scored twice (memory repeats are not proposals).
        Assert.Equal(3, duplicates);
    }

    [Theory]
    [InlineData(new[] { -1.0, -0.5, -0.5 }, 1)]
    [InlineData(new[] { -0.5, -0.5 }, 0)]
    [InlineData(new[] { double.NaN, -3.0, double.NaN }, 1)]
    [InlineData(new[] { -2.0, double.NaN, -1.0 }, 2)]
    [InlineData(new[] { double.NaN }, 0)]
    public void ArgMax_keeps_the_earlier_candidate_on_ties_and_never_prefers_NaN(double[] scores, int expected) =>
        Assert.Equal(expected, PromptSelector.ArgMax(scores));

    [Fact]
    public void A_validation_that_improves_becomes_the_best_and_enters_the_memory()
    {
        var (state, tracker) = Tracker(patience: 2);
        var first = tracker.Record(0, ["p0"], 0.5, fromCache: false);
        state.Network.SetPrompts(["p1"]);
        var second = tracker.Record(2, ["p1"], 0.75, fromCache: false);

        Assert.Equal(new ValidationOutcome(0, 0.5, 0.5, false, false, 0), first);
        Assert.Equal(new ValidationOutcome(2, 0.75, 0.75, false, false, 0), second);
        Assert.Equal(0.75, state.BestDevAccuracy);
        Assert.Equal(["p1"], state.BestPrompts);
        Assert.Equal([["p1"], ["p0"]], state.Memory.Entries.Select(e => e.Prompts));
    }

    [Fact]
    public void Patience_counts_validations_without_improvement_and_then_restores_the_best_prompts()
    {
        var (state, tracker) = Tracker(patience: 2);
        tracker.Record(0, ["best"], 0.8, fromCache: false);
        state.Network.SetPrompts(["worse"]);

        // An equal score is no improvement.
        var first = tracker.Record(2, ["worse"], 0.8, fromCache: true);
        Assert.False(first.Backtracked);
        Assert.Equal(1, state.ValidationsWithoutImprovement);
        Assert.Equal(["worse"], state.Network.Prompts);

        var second = tracker.Record(4, ["worse"], 0.6, fromCache: false);
        Assert.True(second.Backtracked);
        Assert.Equal(2, second.ValidationsWithoutImprovement);
        Assert.Equal(0.8, second.BestDevAccuracy);
        Assert.Equal(0, state.ValidationsWithoutImprovement);
        Assert.Equal(["best"], state.Network.Prompts);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(-1, false)]
    public void Patience_zero_backtracks_at_once_and_minus_one_never(int patience, bool backtracks)
    {
        var (state, tracker) = Tracker(patience);
        tracker.Record(0, ["best"], 0.8, fromCache: false);
        state.Network.SetPrompts(["worse"]);

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(backtracks, tracker.Record(2 * i, state.Network.Prompts, 0.1, fromCache: false).Backtracked);
        }

        Assert.Equal(backtracks ? ["best"] : ["worse"], state.Network.Prompts);
    }

    [Fact]
    public void The_observed_input_is_a_posterior_of_one_sample_of_weight_one_that_no_reweighting_changes()
    {
        var observed = Posterior.Observed(0, ["x1", "x2"]);

        Assert.True(observed.IsObserved);
        Assert.Equal([["x1"], ["x2"]], observed.Samples);
        Assert.Equal([["x1"], ["x2"]], observed.ReaderInputsOf(0));
        Assert.Equal([[1.0], [1.0]], observed.Weights);
        Assert.Equal(["x1", "x2"], observed.Best);
        Assert.Same(observed, observed.Reweighted(0, [[-5.0], [-7.0]], VariationalTrainerOptions.Dln2));
    }

    [Fact]
    public void Posterior_weights_are_the_sharpened_likelihood_plus_prior_and_reweighting_keeps_the_prior()
    {
        var options = VariationalTrainerOptions.Dln2;
        string[][] samples = [["h1", "h2"]];
        var posterior = Posterior.Weigh(samples, [1], [samples], likelihoods: [[[-1.0, -3.0]]], prior: [[-1.0, 0.0]], logQ: [[0.0, 0.0]], options);

        // Logits −2 and −3: the first sample wins.
        Assert.Equal(1 / (1 + Math.Exp(-1)), posterior.Weights[0][0], 12);
        Assert.Equal("h1", posterior.Best[0]);
        Assert.False(posterior.IsObserved);

        // Under a new reader prompt the second sample explains the target better: logits −4 and −1.
        var reweighted = posterior.Reweighted(1, [[-3.0, -1.0]], options);
        Assert.Equal("h2", reweighted.Best[0]);
        Assert.Equal(1 / (1 + Math.Exp(-3)), reweighted.Weights[0][1], 12);

        var hard = Posterior.Weigh(samples, [1], [samples], [[[-1.0, -3.0]]], [[-1.0, 0.0]], [[0.0, 0.0]], options with { UseBestHiddenSampleOnly = true });
        Assert.Equal([1.0, 0.0], hard.Weights[0]);
    }

    [Fact]
    public void Random_streams_are_named_and_give_the_seeds_they_always_gave()
    {
        // The values of the SplitMix64 derivation are part of the file format of a run: a checkpoint written by one
        // version resumes to the same prompts in another only if they never change.
        Assert.Equal(1, (int)RandomStream.Step);
        Assert.Equal(7, (int)RandomStream.Validation);
        Assert.Equal(1616377404, RandomStreams.Seed(42, 0, RandomStream.Step));
        Assert.Equal(2124119621, RandomStreams.Seed(42, 5, RandomStream.Step));
        Assert.Equal(1358457218, RandomStreams.Seed(42, 2, RandomStream.Validation));
        Assert.Equal(517401500, RandomStreams.Seed(-3, 19, RandomStream.Validation));
    }

    private static (TrainingState State, ValidationTracker Tracker) Tracker(int patience)
    {
        var model = new CountingLanguageModel();
        var network = Dln.CreateOneLayer(model, "p0", OutputSpace.FreeText());
        var options = VariationalTrainerOptions.Dln1 with { Patience = patience };
        var state = new TrainingState(network, options.MemorySize, new UsageTracker());
        Example[] examples = [new("in", "out")];
        var data = new TrainingData(examples, examples, network.OutputLayer.OutputSpace, options);
        return (state, new ValidationTracker(state, data, options, options.Metric, new ObserverList([])));
    }
}
