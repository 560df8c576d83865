namespace DeepLanguageNetworks.Tests.Scoring;

public class ClassScorerTests
{
    private const double Tolerance = 1e-12;

    private static readonly IReadOnlyList<OutputClass> YesNo = OutputSpace.FromClasses("yes|Yes", "no|No").Classes;

    private static TokenLogProbability T(string token, double probability) => new(token, Math.Log(probability));

    [Fact]
    public void Exact_verbalizer_tokens_give_their_probabilities_renormalised()
    {
        // mass(yes) = 0.6, mass(no) = 0.3 ("maybe" belongs to no class) → P = 0.6/0.9 = 2/3, 0.3/0.9 = 1/3.
        var distribution = ClassScorer.Score([T("yes", 0.6), T("no", 0.3), T("maybe", 0.1)], YesNo);

        Assert.Equal(2.0 / 3, distribution.Probabilities[0], Tolerance);
        Assert.Equal(1.0 / 3, distribution.Probabilities[1], Tolerance);
        Assert.Equal("yes", distribution.Predicted.Label);
        Assert.Equal(0, distribution.PredictedIndex);
        Assert.Empty(distribution.FlooredClasses);
    }

    [Fact]
    public void Verbalizers_match_with_a_leading_space()
    {
        // " No" is the space-prefixed form of "No": mass(yes) = 0.2, mass(no) = 0.6 → P = 0.25, 0.75.
        var distribution = ClassScorer.Score([T(" No", 0.6), T(" yes", 0.2)], YesNo);

        Assert.Equal(0.25, distribution.Probabilities[0], Tolerance);
        Assert.Equal(0.75, distribution.Probabilities[1], Tolerance);
        Assert.Equal("no", distribution.Predicted.Label);
        Assert.Empty(distribution.FlooredClasses);
    }

    [Fact]
    public void A_token_with_two_leading_spaces_or_a_trailing_space_is_not_a_verbalizer()
    {
        // Only "v" and " v" count: "  yes" and "yes " match nothing, so yes is floored at min = 0.1.
        // mass(yes) = 0.1 (floor), mass(no) = 0.3 → P = 0.25, 0.75.
        var distribution = ClassScorer.Score([T("  yes", 0.4), T("no", 0.3), T("yes ", 0.1)], YesNo, matchPrefixes: false);

        Assert.Equal(0.25, distribution.Probabilities[0], Tolerance);
        Assert.Equal(["yes"], distribution.FlooredClasses);
    }

    [Fact]
    public void Several_spellings_of_one_class_are_summed()
    {
        // mass(yes) = 0.4 + 0.2 + 0.1 = 0.7, mass(no) = 0.2 → P = 7/9, 2/9.
        var distribution = ClassScorer.Score([T("yes", 0.4), T("Yes", 0.2), T("no", 0.2), T(" yes", 0.1)], YesNo);

        Assert.Equal(7.0 / 9, distribution.Probabilities[0], Tolerance);
        Assert.Equal(2.0 / 9, distribution.Probabilities[1], Tolerance);
    }

    [Fact]
    public void A_class_missing_from_the_top_k_gets_the_floor_once_however_many_spellings_it_has()
    {
        // Class c has three spellings, none in the top-k. Floor = exp(min log-prob) = 0.02, added once (not 3 × 0.02 and
        // not 6 × 0.02 for the space-prefixed forms). mass = 0.5, 0.3, 0.02; total 0.82.
        var classes = OutputSpace.FromClasses("a|A", "b|B", "c=c|C|(C)").Classes;

        var distribution = ClassScorer.Score([T("a", 0.5), T("B", 0.3), T("zzz", 0.02)], classes);

        Assert.Equal(0.5 / 0.82, distribution.Probabilities[0], Tolerance);
        Assert.Equal(0.3 / 0.82, distribution.Probabilities[1], Tolerance);
        Assert.Equal(0.02 / 0.82, distribution.Probabilities[2], Tolerance);
        Assert.Equal(["c"], distribution.FlooredClasses);
    }

    [Fact]
    public void The_floor_is_the_smallest_top_k_probability_even_when_that_token_belongs_to_a_class()
    {
        // min = 0.05 (the "no" token itself); yes is missing → floor 0.05. mass = 0.05, 0.05 → uniform.
        var distribution = ClassScorer.Score([T("x", 0.9), T("no", 0.05)], YesNo);

        Assert.Equal(0.5, distribution.Probabilities[0], Tolerance);
        Assert.Equal(0.5, distribution.Probabilities[1], Tolerance);
        Assert.Equal(["yes"], distribution.FlooredClasses);
    }

    [Fact]
    public void Empty_top_k_floors_every_class_at_1e_6_and_gives_a_uniform_distribution()
    {
        var classes = OutputSpace.FromClasses("a", "b", "c", "d").Classes;

        var distribution = ClassScorer.Score([], classes);

        Assert.Equal(1e-6, ClassScorer.EmptyTopKFloor);
        Assert.All(distribution.Probabilities, p => Assert.Equal(0.25, p, Tolerance));
        Assert.Equal(["a", "b", "c", "d"], distribution.FlooredClasses);
        Assert.Equal(0, distribution.PredictedIndex); // tie → first class
    }

    [Fact]
    public void Probabilities_always_sum_to_one()
    {
        var classes = OutputSpace.FromClasses("a|A", "b|B", "c|C").Classes;
        var top = new[] { T("A", 0.31), T(" b", 0.07), T("a", 0.011), T("zz", 0.003), T(" B", 0.0004) };

        var distribution = ClassScorer.Score(top, classes);

        Assert.Equal(1.0, distribution.Probabilities.Sum(), 1e-12);
        Assert.All(distribution.Probabilities, p => Assert.InRange(p, 0, 1));
        // mass = 0.321, 0.0704, floor 0.0004 (c missing).
        Assert.Equal(0.321 / 0.3918, distribution.Probabilities[0], 1e-12);
    }

    [Fact]
    public void Ties_predict_the_first_class_in_class_order()
    {
        var forward = ClassScorer.Score([T("yes", 0.4), T("no", 0.4)], YesNo);
        var reversed = ClassScorer.Score([T("yes", 0.4), T("no", 0.4)], [YesNo[1], YesNo[0]]);

        Assert.Equal("yes", forward.Predicted.Label);
        Assert.Equal("no", reversed.Predicted.Label);
    }

    [Fact]
    public void A_token_that_starts_one_class_spelling_counts_for_that_class()
    {
        // "pos" and " Neg" are first tokens of multi-token verbalizers. mass = 0.5, 0.25 → P = 2/3, 1/3.
        var classes = OutputSpace.FromClasses("positive|Positive", "negative|Negative").Classes;

        var distribution = ClassScorer.Score([T("pos", 0.5), T(" Neg", 0.25)], classes);

        Assert.Equal(2.0 / 3, distribution.Probabilities[0], Tolerance);
        Assert.Equal(1.0 / 3, distribution.Probabilities[1], Tolerance);
        Assert.Empty(distribution.FlooredClasses);
    }

    [Fact]
    public void Prefix_matching_can_be_turned_off()
    {
        // Without prefixes no token is assigned; both classes get the floor exp(min) = 0.25 → uniform.
        var classes = OutputSpace.FromClasses("positive|Positive", "negative|Negative").Classes;

        var distribution = ClassScorer.Score([T("pos", 0.5), T(" Neg", 0.25)], classes, matchPrefixes: false);

        Assert.Equal(0.5, distribution.Probabilities[0], Tolerance);
        Assert.Equal(["positive", "negative"], distribution.FlooredClasses);
    }

    [Fact]
    public void A_prefix_shared_by_two_classes_is_ignored()
    {
        // "n" starts both "no" and "neutral": ignored. mass(yes) = 0.3, mass(no) = 0.1, neutral floored at
        // min = 0.1 → total 0.5 → P = 0.6, 0.2, 0.2.
        var classes = OutputSpace.FromClasses("yes|Yes", "no|No", "neutral|Neutral").Classes;

        var distribution = ClassScorer.Score([T("n", 0.5), T("yes", 0.3), T("No", 0.1)], classes);

        Assert.Equal(0.6, distribution.Probabilities[0], Tolerance);
        Assert.Equal(0.2, distribution.Probabilities[1], Tolerance);
        Assert.Equal(0.2, distribution.Probabilities[2], Tolerance);
        Assert.Equal(["neutral"], distribution.FlooredClasses);
    }

    [Fact]
    public void An_exact_spelling_wins_over_a_prefix_of_another_class()
    {
        // "no" is exactly class "no" and also a prefix of "none"; exact wins. mass(no) = 0.6, none floored at 0.2.
        var classes = OutputSpace.FromClasses("no", "none").Classes;

        var distribution = ClassScorer.Score([T("no", 0.6), T("x", 0.2)], classes);

        Assert.Equal(0.75, distribution.Probabilities[0], Tolerance);
        Assert.Equal(["none"], distribution.FlooredClasses);
    }

    [Fact]
    public void Whitespace_only_tokens_are_not_prefixes()
    {
        // " " starts " yes"; with a single class nothing makes it ambiguous, so only the whitespace rule keeps it from
        // counting as "yes" (visible as the class being floored rather than hit).
        var classes = new[] { new OutputClass("yes", ["yes"]) };

        var distribution = ClassScorer.Score([T(" ", 0.5)], classes);

        Assert.Equal(["yes"], distribution.FlooredClasses);
    }

    [Fact]
    public void NaN_log_probabilities_are_ignored_for_mass_and_floor()
    {
        // The NaN "yes" adds nothing; min over the others = 0.1 → yes floored at 0.1, no = 0.5 → P(yes) = 1/6.
        var distribution = ClassScorer.Score([new TokenLogProbability("yes", double.NaN), T("no", 0.5), T("x", 0.1)], YesNo);

        Assert.Equal(1.0 / 6, distribution.Probabilities[0], Tolerance);
        Assert.Equal(5.0 / 6, distribution.Probabilities[1], Tolerance);
        Assert.Equal(["yes"], distribution.FlooredClasses);
    }

    [Fact]
    public void Zero_probability_tokens_do_not_change_the_floor()
    {
        // Some backends pad the top-k with −∞ entries. They carry no mass, so the result must equal the unpadded one:
        // yes floored at exp(min finite) = 0.1, no = 0.5 → P(yes) = 1/6.
        var padded = ClassScorer.Score([T("no", 0.5), T("x", 0.1), new TokenLogProbability("yes", double.NegativeInfinity)], YesNo);
        var unpadded = ClassScorer.Score([T("no", 0.5), T("x", 0.1)], YesNo);

        Assert.Equal(1.0 / 6, unpadded.Probabilities[0], Tolerance);
        Assert.Equal(unpadded.Probabilities, padded.Probabilities);
        Assert.Equal(["yes"], padded.FlooredClasses);
    }

    [Fact]
    public void Only_NaN_log_probabilities_behave_like_an_empty_top_k()
    {
        var distribution = ClassScorer.Score([new TokenLogProbability("yes", double.NaN)], YesNo);

        Assert.Equal(0.5, distribution.Probabilities[0], Tolerance);
        Assert.Equal(2, distribution.FlooredClasses.Count);
    }

    [Fact]
    public void Log_probability_and_index_accept_labels_spellings_and_bracketed_targets()
    {
        var classes = OutputSpace.FromClasses("a=(A)|A", "b=(B)|B", "c=(C)|C").Classes;
        // mass = 0.5, 0.3, 0.2 (" (C)" is the space-prefixed spelling) → P = 0.5, 0.3, 0.2.
        var distribution = ClassScorer.Score([T("(A)", 0.5), T("B", 0.3), T(" (C)", 0.2)], classes);

        Assert.Equal(1, distribution.IndexOf("(B)"));
        Assert.Equal(1, distribution.IndexOf("b"));
        Assert.Equal(2, distribution.IndexOf("C"));
        Assert.Equal(Math.Log(0.3), distribution.LogProbabilityOf("(B)"), Tolerance);
        Assert.Equal(Math.Log(0.5), distribution.LogProbabilityOf("a"), Tolerance);
        Assert.Equal("(A)", distribution.Predicted.Prototype);
    }

    [Fact]
    public void Unknown_label_error_lists_the_classes()
    {
        var distribution = ClassScorer.Score([T("yes", 0.5)], YesNo);

        var ex = Assert.Throws<ArgumentException>(() => distribution.IndexOf("maybe"));

        Assert.Contains("'maybe'", ex.Message);
        Assert.Contains("yes, no", ex.Message);
    }

    [Fact]
    public void Distribution_constructor_rejects_bad_masses()
    {
        Assert.Throws<ArgumentException>(() => new ClassDistribution(YesNo, [1.0]));
        Assert.Throws<ArgumentException>(() => new ClassDistribution(YesNo, [1.0, -0.1]));
        Assert.Throws<ArgumentException>(() => new ClassDistribution(YesNo, [double.NaN, 1.0]));
        Assert.Throws<ArgumentException>(() => new ClassDistribution(YesNo, [0.0, 0.0]));
        var d = new ClassDistribution(YesNo, [3.0, 1.0]);
        Assert.Equal([0.75, 0.25], d.Probabilities);
        Assert.Empty(d.FlooredClasses);
    }
}
