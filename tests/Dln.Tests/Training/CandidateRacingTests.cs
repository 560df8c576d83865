using System.Collections.Concurrent;
using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// Candidate racing in the prompt selector, on a table of per-example scores: who is scored on which examples, who
/// survives, who wins, and that the schedule options are checked.
/// </summary>
public class CandidateRacingTests
{
    // Rows: candidates (the current prompt "p0", then the proposals in order); columns: the 8 examples of the batch.
    // "late" is the best on the whole batch but the worst on the first two examples.
    private static readonly Dictionary<string, double[]> Table = new()
    {
        ["p0"] = [-4, -4, -4, -4, -4, -4, -4, -4],
        ["a"] = [-1, -1, -4, -4, -8, -8, -8, -8],
        ["b"] = [-2, -2, -1, -1, -3, -3, -3, -3],
        ["c"] = [-3, -3, -6, -6, -1, -1, -1, -1],
        ["d"] = [-3, -3, -1, -1, -1, -1, -1, -1],
        ["e"] = [-5, -5, -9, -9, -9, -9, -9, -9],
        ["f"] = [-6, -6, -9, -9, -9, -9, -9, -9],
        ["late"] = [-4, -4, 0, 0, 0, 0, 0, 0],
    };

    // Exactly the keep fraction: the margin rule has tests of its own.
    private static readonly CandidateRacingOptions Halving = new() { FirstSliceFraction = 0.25, KeepFraction = 0.5, SliceGrowth = 2, KeepCurrentPrompt = false, DropMargin = null };

    [Fact]
    public async Task Each_round_scores_every_survivor_on_the_same_examples_and_the_rest_of_the_batch_is_never_scored()
    {
        var (update, objective) = await SelectAsync(Halving);

        // 8 candidates on examples {0,1}; the best 4 (a, b, c, d) on {0..3}; the best 2 (b, d) on all 8.
        Assert.Equal(Examples(0, 1), objective.ScoredExamples("e"));
        Assert.Equal(Examples(0, 1), objective.ScoredExamples("f"));
        Assert.Equal(Examples(0, 1), objective.ScoredExamples("late"));
        Assert.Equal(Examples(0, 1), objective.ScoredExamples("p0"));
        Assert.Equal(Examples(0, 1, 2, 3), objective.ScoredExamples("a"));
        Assert.Equal(Examples(0, 1, 2, 3), objective.ScoredExamples("c"));
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), objective.ScoredExamples("b"));
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), objective.ScoredExamples("d"));
        Assert.All(objective.Calls.GroupBy(c => c), g => Assert.Single(g));
        Assert.Equal((8 * 2) + (4 * 2) + (2 * 4), objective.Calls.Count);

        // d beats b on the whole batch (−1.5 against −2.25); "late", the best on the batch, lost in the first round.
        Assert.Equal("d", update.SelectedPrompt);
        Assert.Equal(Mean("d", 8), update.SelectedScore);
        var scores = update.CandidateScores.ToDictionary(c => c.Prompt);
        Assert.Equal(Mean("late", 2), scores["late"].Score);
        Assert.Equal(2, scores["late"].ExamplesScored);
        Assert.Equal(4, scores["a"].ExamplesScored);
        Assert.Null(scores["b"].ExamplesScored);
        Assert.Null(scores["d"].ExamplesScored);
        Assert.Equal(Mean("p0", 2), update.CurrentScore);
    }

    [Fact]
    public async Task The_current_prompt_can_be_kept_in_every_round_so_that_it_is_replaced_only_on_the_whole_batch()
    {
        var (update, objective) = await SelectAsync(Halving with { KeepCurrentPrompt = true });

        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), objective.ScoredExamples("p0"));
        Assert.Null(update.CandidateScores[0].ExamplesScored);
        Assert.Equal(Mean("p0", 8), update.CurrentScore);
        Assert.Equal("d", update.SelectedPrompt);
    }

    [Fact]
    public async Task Without_racing_every_candidate_is_scored_on_every_example()
    {
        var (update, objective) = await SelectAsync(racing: null);

        Assert.Equal(8 * 8, objective.Calls.Count);
        Assert.Equal("late", update.SelectedPrompt);
        Assert.All(update.CandidateScores, c => Assert.Null(c.ExamplesScored));
        Assert.Equal(Table.Keys.Select(k => Mean(k, 8)), update.CandidateScores.Select(c => c.Score));
    }

    [Fact]
    public async Task A_race_ends_when_one_candidate_is_left_and_the_winner_can_be_scored_on_the_rest_of_the_batch()
    {
        // Keeping a quarter: 8 on {0,1}, then a alone is left.
        var racing = Halving with { KeepFraction = 0.125 };
        var (update, objective) = await SelectAsync(racing);
        Assert.Equal("a", update.SelectedPrompt);
        Assert.Equal(8 * 2, objective.Calls.Count);
        Assert.Equal(2, update.CandidateScores[update.SelectedIndex].ExamplesScored);

        var (completed, completedObjective) = await SelectAsync(racing, scoreWinnerOnAllExamples: true);
        Assert.Equal("a", completed.SelectedPrompt);
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), completedObjective.ScoredExamples("a"));
        Assert.Null(completed.CandidateScores[completed.SelectedIndex].ExamplesScored);
        Assert.Equal(Mean("a", 8), completed.SelectedScore);
    }

    [Fact]
    public async Task Slices_take_the_examples_interleaved_by_class()
    {
        Assert.Equal([0, 3, 1, 4, 2, 5], LayerObjective.InterleaveByTarget(["yes", "yes", "yes", "no", "no", "no"]));
        Assert.Equal([0, 2, 1, 3, 4], LayerObjective.InterleaveByTarget(["a", "a", "b", "b", "a"]));

        // An objective whose racing order is not the batch order: the first slice is its first two examples.
        var (_, objective) = await SelectAsync(Halving, racingOrder: [7, 6, 5, 4, 3, 2, 1, 0]);
        Assert.Equal(Examples(6, 7), objective.ScoredExamples("e"));
        Assert.Equal(Examples(4, 5, 6, 7), objective.ScoredExamples("b"));
    }

    [Fact]
    public async Task An_example_that_overflows_in_a_round_is_left_out_of_that_round_for_every_candidate_of_the_round()
    {
        // c does not fit example 2: in the second round (a, b, c, d on examples 0..3) example 2 is left out for all
        // four, which makes a (not d) b's fellow finalist; c is gone in the final round, so example 2 is back in.
        var (selection, objective) = await SelectWithOverflowsAsync(Halving, [("c", 2)]);

        var scores = selection.Update.CandidateScores.ToDictionary(c => c.Prompt);
        Assert.Equal(MeanOver("c", 0, 1, 3), scores["c"].Score);
        Assert.Equal(MeanOver("d", 0, 1, 3), scores["d"].Score);
        Assert.Equal(4, scores["d"].ExamplesScored);
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), objective.ScoredExamples("a"));
        Assert.Equal(Mean("a", 8), scores["a"].Score);
        Assert.Equal("b", selection.Update.SelectedPrompt);
        Assert.Equal(Mean("b", 8), selection.Update.SelectedScore);

        // The deciding round fitted: nothing is left out of the winner's score, nothing is lost below.
        Assert.Empty(selection.Dropped);
        Assert.Equal(0, selection.Update.ContextOverflows);
    }

    [Fact]
    public async Task An_example_that_overflows_in_the_deciding_round_is_left_out_of_the_winners_score_and_dropped()
    {
        var (selection, _) = await SelectWithOverflowsAsync(Halving, [("d", 6)]);

        var scores = selection.Update.CandidateScores.ToDictionary(c => c.Prompt);
        Assert.Equal("d", selection.Update.SelectedPrompt);
        Assert.Equal(MeanOver("d", 0, 1, 2, 3, 4, 5, 7), selection.Update.SelectedScore);
        Assert.Equal(MeanOver("b", 0, 1, 2, 3, 4, 5, 7), scores["b"].Score);
        Assert.Equal([6], selection.Dropped);
        Assert.Equal(1, selection.Update.ContextOverflows);
        Assert.Equal([.. new[] { 0, 1, 2, 3, 4, 5, 7 }.Select(i => Table["d"][i])], selection.WinnerTerms!.Select(t => t.Scores[0]));
    }

    [Fact]
    public async Task A_round_with_no_example_that_fits_every_candidate_scores_those_that_overflowed_NaN()
    {
        // In the first round a does not fit example 0 and late not example 1: nothing is common to all, so a and late
        // score NaN and leave, and the others are compared on both examples.
        var (selection, objective) = await SelectWithOverflowsAsync(Halving, [("a", 0), ("late", 1)]);

        var scores = selection.Update.CandidateScores.ToDictionary(c => c.Prompt);
        Assert.True(double.IsNaN(scores["a"].Score));
        Assert.True(double.IsNaN(scores["late"].Score));
        Assert.Equal(2, scores["a"].ExamplesScored);
        Assert.Equal(Examples(0, 1, 2, 3), objective.ScoredExamples("p0"));
        Assert.Equal(Mean("p0", 4), scores["p0"].Score);
        Assert.Equal(Mean("e", 2), scores["e"].Score);
        Assert.Equal("d", selection.Update.SelectedPrompt);
        Assert.Empty(selection.Dropped);
    }

    [Fact]
    public async Task A_winner_scored_on_the_rest_of_the_batch_leaves_out_the_examples_it_does_not_fit()
    {
        var racing = Halving with { KeepFraction = 0.125 };
        var (selection, objective) = await SelectWithOverflowsAsync(racing, [("a", 5)], scoreWinnerOnAllExamples: true);

        Assert.Equal("a", selection.Update.SelectedPrompt);
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), objective.ScoredExamples("a"));
        Assert.Null(selection.Update.CandidateScores[selection.Update.SelectedIndex].ExamplesScored);
        Assert.Equal(MeanOver("a", 0, 1, 2, 3, 4, 6, 7), selection.Update.SelectedScore);
        Assert.Equal([5], selection.Dropped);
        Assert.Equal(1, selection.Update.ContextOverflows);
        Assert.Equal([.. new[] { 0, 1, 2, 3, 4, 6, 7 }.Select(i => Table["a"][i])], selection.WinnerTerms!.Select(t => t.Scores[0]));
    }

    [Fact]
    public async Task Without_racing_an_example_that_overflows_under_one_candidate_is_left_out_for_all()
    {
        var (selection, objective) = await SelectWithOverflowsAsync(racing: null, [("late", 3)]);

        Assert.Equal(8 * 8, objective.Calls.Count);
        int[] kept = [0, 1, 2, 4, 5, 6, 7];
        Assert.Equal(Table.Keys.Select(k => MeanOver(k, kept)), selection.Update.CandidateScores.Select(c => c.Score));
        Assert.Equal("late", selection.Update.SelectedPrompt);
        Assert.Equal([3], selection.Dropped);
        Assert.Equal(1, selection.Update.ContextOverflows);
        Assert.Equal([.. kept.Select(i => Table["late"][i])], selection.WinnerTerms!.Select(t => t.Scores[0]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void The_first_slice_must_be_a_share_of_the_batch(double value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CandidateRacingOptions { FirstSliceFraction = value });
        Assert.Equal(nameof(CandidateRacingOptions.FirstSliceFraction), error.ParamName);
    }

    [Theory]
    [InlineData(nameof(CandidateRacingOptions.KeepFraction), 1.0)]
    [InlineData(nameof(CandidateRacingOptions.KeepFraction), 0.0)]
    [InlineData(nameof(CandidateRacingOptions.SliceGrowth), 1.0)]
    [InlineData(nameof(CandidateRacingOptions.SliceGrowth), double.PositiveInfinity)]
    public void Keep_fraction_and_growth_are_checked(string option, double value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => option == nameof(CandidateRacingOptions.KeepFraction)
            ? new CandidateRacingOptions { KeepFraction = value }
            : new CandidateRacingOptions { SliceGrowth = value });
        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void The_schedule_rounds_up_and_reaches_the_batch()
    {
        var racing = new CandidateRacingOptions();
        Assert.Equal(4, racing.FirstSlice(20));
        Assert.Equal(2, racing.FirstSlice(10));
        Assert.Equal(1, racing.FirstSlice(3));
        Assert.Equal(8, racing.NextSlice(4, 20));
        Assert.Equal(20, racing.NextSlice(16, 20));
        Assert.Equal(3, new CandidateRacingOptions { SliceGrowth = 1.1 }.NextSlice(2, 20));
        Assert.Equal(10, racing.Survivors(20));
        Assert.Equal(2, racing.Survivors(3));
        Assert.Equal(1, racing.Survivors(1));
        Assert.Null(VariationalTrainerOptions.Dln1.CandidateRacing);
        Assert.Null(VariationalTrainerOptions.Dln2.CandidateRacing);
    }

    [Fact]
    public async Task A_round_ends_the_race_when_every_other_candidate_is_clearly_behind_the_leader()
    {
        // On {0,1} a leads every other candidate by the same amount on both examples: all are clearly behind.
        var (update, objective) = await SelectAsync(Halving with { DropMargin = 1.5 });
        Assert.Equal("a", update.SelectedPrompt);
        Assert.Equal(8 * 2, objective.Calls.Count);
        Assert.Equal(2, update.CandidateScores[update.SelectedIndex].ExamplesScored);

        // The current prompt stays with KeepCurrentPrompt, and a replaces it only on the whole batch (p0 wins there).
        var (kept, keptObjective) = await SelectAsync(Halving with { DropMargin = 1.5, KeepCurrentPrompt = true });
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), keptObjective.ScoredExamples("p0"));
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), keptObjective.ScoredExamples("a"));
        Assert.Equal(Examples(0, 1), keptObjective.ScoredExamples("b"));
        Assert.Equal("p0", kept.SelectedPrompt);
    }

    [Fact]
    public async Task A_candidate_clearly_behind_is_dropped_though_the_keep_fraction_keeps_it_and_the_others_race_on_the_same_examples()
    {
        // On {0..3} the best four are b (−1.5), d (−2), late (−2) and a (−2.5). b leads d by 1, 1, 0, 0: clearly behind
        // (0.5 > 1.5 · 0.58 · √(4 / 32) = 0.31); a (−1, −1, 3, 3) and late (2, 2, −1, −1) are not.
        var racing = Halving with { FirstSliceFraction = 0.5, DropMargin = 1.5 };
        var (update, objective) = await SelectAsync(racing);
        Assert.Equal(Examples(0, 1, 2, 3), objective.ScoredExamples("d"));
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), objective.ScoredExamples("a"));
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), objective.ScoredExamples("b"));
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), objective.ScoredExamples("late"));
        Assert.Equal("late", update.SelectedPrompt);
        Assert.Equal(Mean("late", 8), update.SelectedScore);

        // Without the margin the keep fraction alone decides: d goes on.
        var (_, plain) = await SelectAsync(racing with { DropMargin = null });
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), plain.ScoredExamples("d"));

        // Under a trust region the margin does not apply.
        var (_, trustRegion) = await SelectAsync(racing, trustRegion: true);
        Assert.Equal(Examples(0, 1, 2, 3, 4, 5, 6, 7), trustRegion.ScoredExamples("d"));
    }

    [Fact]
    public async Task A_hidden_layer_races_on_its_own_schedule()
    {
        // One example, then the best quarter (a, b) on two, then a alone.
        var racing = Halving with { HiddenLayerFirstSliceFraction = 0.125, HiddenLayerKeepFraction = 0.25 };
        var (update, objective) = await SelectAsync(racing, hidden: true);
        Assert.Equal(Examples(0), objective.ScoredExamples("e"));
        Assert.Equal(Examples(0, 1), objective.ScoredExamples("a"));
        Assert.Equal(Examples(0, 1), objective.ScoredExamples("b"));
        Assert.Equal(8 + 2, objective.Calls.Count);
        Assert.Equal("a", update.SelectedPrompt);

        // The output layer's schedule is unchanged by it.
        var (_, output) = await SelectAsync(racing);
        Assert.Equal(Examples(0, 1), output.ScoredExamples("e"));
    }

    [Theory]
    [InlineData(new[] { 2.0, 2, 2, 2 }, 20, true)]
    [InlineData(new[] { 3.0, -1, 3, -1 }, 20, false)]
    [InlineData(new[] { 3.0, -1, 3, -1 }, 5, true)]
    [InlineData(new[] { 0.0, 0, 0, 0 }, 20, false)]
    [InlineData(new[] { -2.0, -2, -2, -2 }, 20, false)]
    [InlineData(new[] { 2.0 }, 20, false)]
    [InlineData(new[] { 2.0, 2, 2, 2 }, 4, false)]
    public void A_candidate_is_clearly_behind_when_its_deficit_exceeds_the_margin_in_standard_errors_of_the_whole_batch(double[] leads, int batch, bool behind)
    {
        // (3, −1, 3, −1): mean 1, sd 2.31; of 20: 1.5 · 2.31 · √(16 / 80) = 1.55 > 1; of 5: 1.5 · 2.31 · √(1 / 20) = 0.77 < 1.
        Assert.Equal(behind, new CandidateRacingOptions { DropMargin = 1.5 }.IsClearlyBehind(leads, batch));
        Assert.False(new CandidateRacingOptions { DropMargin = null }.IsClearlyBehind(leads, batch));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void The_drop_margin_must_be_a_positive_finite_number_or_null(double value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CandidateRacingOptions { DropMargin = value });
        Assert.Equal(nameof(CandidateRacingOptions.DropMargin), error.ParamName);
        Assert.Null(new CandidateRacingOptions { DropMargin = null }.DropMargin);
    }

    [Theory]
    [InlineData(nameof(CandidateRacingOptions.HiddenLayerFirstSliceFraction), 0.0)]
    [InlineData(nameof(CandidateRacingOptions.HiddenLayerFirstSliceFraction), 1.5)]
    [InlineData(nameof(CandidateRacingOptions.HiddenLayerKeepFraction), 1.0)]
    [InlineData(nameof(CandidateRacingOptions.HiddenLayerKeepFraction), double.NaN)]
    public void The_hidden_layer_schedule_is_checked(string option, double value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => option == nameof(CandidateRacingOptions.HiddenLayerKeepFraction)
            ? new CandidateRacingOptions { HiddenLayerKeepFraction = value }
            : new CandidateRacingOptions { HiddenLayerFirstSliceFraction = value });
        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void The_hidden_layer_schedule_rounds_up()
    {
        var defaults = new CandidateRacingOptions();
        Assert.Equal(defaults.FirstSlice(10), defaults.FirstSlice(10, hiddenLayer: true));
        Assert.Equal(defaults.Survivors(10), defaults.Survivors(10, hiddenLayer: true));
        Assert.Null(defaults.DropMargin);

        var racing = defaults with { HiddenLayerFirstSliceFraction = 0.1, HiddenLayerKeepFraction = 0.2 };
        Assert.Equal(1, racing.FirstSlice(10, hiddenLayer: true));
        Assert.Equal(2, racing.FirstSlice(20, hiddenLayer: true));
        Assert.Equal(2, racing.FirstSlice(10, hiddenLayer: false));
        Assert.Equal(2, racing.Survivors(10, hiddenLayer: true));
        Assert.Equal(1, racing.Survivors(3, hiddenLayer: true));
        Assert.Equal(5, racing.Survivors(10, hiddenLayer: false));
    }

    private static int[] Examples(params int[] examples) => examples;

    private static double Mean(string prompt, int examples) => Table[prompt].Take(examples).Sum() / examples;

    private static async Task<(LayerUpdate Update, TableObjective Objective)> SelectAsync(CandidateRacingOptions? racing, bool scoreWinnerOnAllExamples = false, int[]? racingOrder = null, bool hidden = false, bool trustRegion = false)
    {
        var (selection, objective) = await SelectWithOverflowsAsync(racing, [], scoreWinnerOnAllExamples, racingOrder, hidden, trustRegion);
        return (selection.Update, objective);
    }

    /// <summary>Selects among the table's candidates; the (prompt, example) pairs of <paramref name="overflows"/> do not fit the context window.</summary>
    private static async Task<(Selection Selection, TableObjective Objective)> SelectWithOverflowsAsync(
        CandidateRacingOptions? racing, (string Prompt, int Example)[] overflows, bool scoreWinnerOnAllExamples = false, int[]? racingOrder = null, bool hidden = false, bool trustRegion = false)
    {
        using var backward = new ScriptedLanguageModel(LanguageModelCapabilities.GenerationOnly);
        var proposals = Table.Keys.Skip(1).ToArray();
        backward.OnGenerate = r => new GenerationResponse(proposals[r.SampleIndex], LanguageModelUsage.Zero);
        var network = Dln.CreateOneLayer(backward, "p0", OutputSpace.FreeText());
        var selector = new PromptSelector(network, new PromptProposer(backward), new PromptMemory(0), Table.Count, racing, new ObserverList([]));
        var objective = new TableObjective(racingOrder ?? Enumerable.Range(0, 8).ToArray(), overflows.ToHashSet()) { Hidden = hidden, TrustRegion = trustRegion };
        var round = selector.Propose(0, [new ProposalExample("x", "y", "z", false)], new Random(1), CancellationToken.None);
        var selection = await selector.SelectAsync(round, objective, scoreWinnerOnAllExamples, CancellationToken.None);
        Assert.Equal(selection.Update.SelectedPrompt, network.OutputLayer.Prompt);
        return (selection, objective);
    }

    /// <summary>The mean of <paramref name="prompt"/>'s table row over <paramref name="examples"/>.</summary>
    private static double MeanOver(string prompt, params int[] examples) => examples.Sum(i => Table[prompt][i]) / examples.Length;

    /// <summary>An objective that looks its terms up in <see cref="Table"/> and records every (prompt, example) it scores.</summary>
    private sealed class TableObjective(int[] racingOrder, IReadOnlySet<(string Prompt, int Example)> overflows) : LayerObjective
    {
        public ConcurrentQueue<(string Prompt, int Example)> Calls { get; } = new();

        public override int Layer => 0;

        public override int Examples => 8;

        public bool Hidden { get; init; }

        public bool TrustRegion { get; init; }

        public override bool IsHiddenLayer => Hidden;

        public override bool HasTrustRegion => TrustRegion;

        public override IReadOnlyList<int> RacingOrder => racingOrder;

        // Looked up in the table: no request.
        public override int CallsPerCandidate => 0;

        public int[] ScoredExamples(string prompt) => [.. Calls.Where(c => c.Prompt == prompt).Select(c => c.Example).Order()];

        public override async Task<ExampleTerm> ScoreExampleAsync(string prompt, int example, CancellationToken cancellationToken)
        {
            await Task.Yield();
            Calls.Enqueue((prompt, example));
            return overflows.Contains((prompt, example)) ? ExampleTerm.Overflow : new ExampleTerm([Table[prompt][example]], 0, HasExtra: false);
        }

        public override double Aggregate(IReadOnlyList<int> examples, Func<int, ExampleTerm> term) =>
            examples.Sum(i => term(i).Scores[0]) / examples.Count;
    }
}
