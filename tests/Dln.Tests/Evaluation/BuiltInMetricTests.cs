namespace DeepLanguageNetworks.Tests.Evaluation;

/// <summary>Worked cases for each built-in metric: numbers, text in other scripts, empty outputs, feedback.</summary>
public class BuiltInMetricTests
{
    private static double Score(IMetric metric, string target, string output) =>
        metric.ScoreAsync(new Example("the input", target), output).AsTask().GetAwaiter().GetResult().Score;

    private static MetricScore Verdict(IMetric metric, string target, string output) =>
        metric.ScoreAsync(new Example("the input", target), output).AsTask().GetAwaiter().GetResult();

    [Theory]
    [InlineData("42", "42", 1)] // a number matches itself (the paper's normalisation made it empty and never matched)
    [InlineData("42", "The answer is 42.", 0)] // the whole text counts, not its first word
    [InlineData("(A)", "a", 1)] // the paper's letter answers
    [InlineData("Yes.", "yes", 1)]
    [InlineData("Paris", "  PARIS!! ", 1)]
    [InlineData("x²", "x²", 1)]
    [InlineData("x²", "x", 0)] // superscripts are not dropped
    [InlineData("½", "½", 1)]
    [InlineData("½", "", 0)]
    [InlineData("İstanbul", "istanbul", 1)]
    [InlineData("straße", "STRASSE", 0)] // simple case mapping: ß stays ß
    [InlineData("Café", "Cafe\u0301", 1)] // precomposed and decomposed accents
    [InlineData("café", "cafe", 0)] // accents are kept
    [InlineData("東京", "東京", 1)]
    [InlineData("東京", "東 京", 1)] // spaces between ideographs do not matter
    [InlineData("Привет мир", "привет, мир", 1)]
    [InlineData("مرحبا", "مرحبا", 1)]
    [InlineData("", "", 1)] // an empty expected output is met by an empty output
    [InlineData("42", "", 0)]
    [InlineData("", "something", 0)]
    public void Exact_match_compares_whole_normalised_texts(string target, string output, double expected)
    {
        Assert.Equal(expected, Score(Metrics.ExactMatch, target, output));
        Assert.Null(Verdict(Metrics.ExactMatch, target, output).Feedback);
    }

    [Fact]
    public async Task Exact_match_on_a_classification_layer_is_class_correctness()
    {
        var space = OutputSpace.FromClasses("positive=great|good", "negative=bad");
        var example = new Example("a fine film", "positive");

        // The layer outputs the class's first spelling, which is not the label: exact match of the texts would fail.
        Assert.Equal(0, (await Metrics.ExactMatch.ScoreAsync(example, "great")).Score);
        Assert.Equal(1, (await MetricScoring.ScoreAsync(Metrics.ExactMatch, space, example, "great", space.Classes[0], default)).Score);
        Assert.Equal(0, (await MetricScoring.ScoreAsync(Metrics.ExactMatch, space, example, "bad", space.Classes[1], default)).Score);

        // An answer outside the classes is compared by first words, as the paper does.
        Assert.Equal(1, (await MetricScoring.ScoreAsync(Metrics.ExactMatch, space, example, "Positive, I think.", null, default)).Score);
        Assert.Equal(0, (await MetricScoring.ScoreAsync(Metrics.ExactMatch, space, example, "Maybe.", null, default)).Score);

        // Other metrics see the output text.
        Assert.Equal(0, (await MetricScoring.ScoreAsync(Metrics.Contains, space, example, "great", space.Classes[0], default)).Score);
    }

    [Theory]
    [InlineData("ORD-1234", "Your order number is ord 1234, thanks.", 1)]
    [InlineData("42", "I think it is 42.", 1)]
    [InlineData("42", "It is 420.", 0)] // whole words only
    [InlineData("new york", "I live in New York City", 1)]
    [InlineData("new york", "York is new", 0)] // in order and next to each other
    [InlineData("東京", "首都は東京です", 1)]
    [InlineData("İzmir", "we flew to IZMIR", 1)] // İ and I both lower-case to i
    [InlineData("", "", 1)]
    [InlineData("", "anything", 0)]
    [InlineData("42", "", 0)]
    public void Contains_finds_the_target_words_in_a_row(string target, string output, double expected)
    {
        Assert.Equal(expected, Score(Metrics.Contains, target, output));
    }

    [Theory]
    [InlineData("42", "42", 1)]
    [InlineData("42", "The answer is 42.", 1)]
    [InlineData("42", "First 7, then 42", 1)] // the last number counts
    [InlineData("42", "42, or maybe 7", 0)]
    [InlineData("1250.5", "The total is 1,250.50 dollars", 1)]
    [InlineData("-3", "It drops to -3 degrees", 1)]
    [InlineData("-3", "It drops to −3 degrees", 1)] // the minus sign U+2212
    [InlineData("1234", "Order ORD-1234", 1)] // a hyphen after a letter is not a sign
    [InlineData("#### 18", "so she makes 18 dollars", 1)] // GSM8K-style targets: their last number
    [InlineData("42", "٤٢", 1)] // Arabic-Indic digits
    [InlineData("42", "४२", 1)] // Devanagari digits
    [InlineData("0.3", "0.30000000000000004", 1)] // a rounding margin
    [InlineData("1e3", "1000", 1)]
    [InlineData("42", "", 0)]
    [InlineData("42", "forty-two", 0)] // numbers in words are not read
    [InlineData("42", "x²", 0)] // a superscript is not a number of its own
    public void Numeric_compares_the_last_numbers(string target, string output, double expected)
    {
        Assert.Equal(expected, Score(Metrics.Numeric(), target, output));
    }

    [Fact]
    public void Numeric_tolerances_and_partial_credit()
    {
        Assert.Equal(1, Score(Metrics.Numeric(0.5), "10", "10.4"));
        Assert.Equal(0, Score(Metrics.Numeric(0.5), "10", "10.6"));
        Assert.Equal(1, Score(Metrics.Numeric(new NumericMatchOptions { RelativeTolerance = 0.01 }), "1000", "1009"));
        Assert.Equal(0, Score(Metrics.Numeric(new NumericMatchOptions { RelativeTolerance = 0.01 }), "1000", "1011"));

        var partial = Metrics.Numeric(new NumericMatchOptions { PartialCredit = true });
        Assert.Equal(0.9, Score(partial, "100", "90"), 12);
        Assert.Equal(0.75, Score(partial, "-4", "-5"), 12);
        Assert.Equal(0, Score(partial, "100", "250")); // more than 100 % off
        Assert.Equal(0, Score(partial, "0", "0.5")); // no relative error for a zero target
        Assert.Equal(0, Score(partial, "100", "no number here"));
    }

    [Fact]
    public void Numeric_feedback_says_what_the_numbers_were()
    {
        var verdict = Verdict(Metrics.Numeric(), "42", "I get 40.");
        Assert.Equal("The output's number is 40, but the correct number is 42 (off by 2).", verdict.Feedback);
        Assert.Equal("The output contains no number; the correct number is 42.", Verdict(Metrics.Numeric(), "42", "no idea").Feedback);
        Assert.Contains("has no number", Verdict(Metrics.Numeric(), "none", "42").Feedback);
        Assert.Null(Verdict(Metrics.Numeric(), "42", "42").Feedback);
    }

    [Theory]
    [InlineData("Ada Lovelace London", "Ada Lovelace London", 1)]
    [InlineData("Ada Lovelace London", "ada lovelace, london!", 1)]
    [InlineData("Ada Lovelace London", "Ada Lovelace", 0.8)] // P = 1, R = 2/3
    [InlineData("Ada Lovelace", "Ada Lovelace was born in London", 0.5)] // P = 2/6, R = 1
    [InlineData("the cat the hat", "the cat", 2.0 / 3)] // repeated words counted with repetition
    [InlineData("42 apples", "42 pears", 0.5)] // digits are words
    [InlineData("東京タワー", "東京", 4.0 / 7)] // one word per Japanese character: P = 1, R = 2/5
    [InlineData("", "", 1)]
    [InlineData("", "text", 0)]
    [InlineData("text", "", 0)]
    [InlineData("a b", "c d", 0)]
    public void Token_F1_scores_word_overlap(string target, string output, double expected)
    {
        Assert.Equal(expected, Score(Metrics.TokenF1, target, output), 12);
    }

    [Fact]
    public void Token_F1_feedback_names_missing_and_unexpected_words()
    {
        var verdict = Verdict(Metrics.TokenF1, "Ada Lovelace, London, 1815", "Ada Lovelace in Paris");

        Assert.Equal(
            "Words of the correct output missing from the output: london, 1815. Words in the output that the correct output does not have: in, paris.",
            verdict.Feedback);
        Assert.Null(Verdict(Metrics.TokenF1, "Ada", "ada").Feedback);
        Assert.Equal("The output is empty.", Verdict(Metrics.TokenF1, "Ada", " ").Feedback);
    }

    [Fact]
    public void Regex_checks_the_output_against_a_pattern_or_the_target()
    {
        var format = Metrics.Regex(@"^ORD-\d{6}$");
        Assert.Equal(1, Score(format, "whatever", "ORD-123456"));
        Assert.Equal(0, Score(format, "whatever", "order ORD-123456"));
        Assert.Equal("The output does not match the pattern ^ORD-\\d{6}$.", Verdict(format, "x", "ORD-1").Feedback);

        Assert.Equal(1, Score(Metrics.TargetPattern, "^(NYC|New York)$", "New York"));
        Assert.Equal(0, Score(Metrics.TargetPattern, "^(NYC|New York)$", "Boston"));
        Assert.Equal(1, Score(Metrics.Regex("straße", System.Text.RegularExpressions.RegexOptions.IgnoreCase), "", "STRAßE"));
        Assert.Equal(0, Score(format, "x", ""));
    }

    [Fact]
    public void Bad_patterns_are_refused_with_the_pattern_and_the_example()
    {
        var ex = Assert.Throws<ArgumentException>(() => Metrics.Regex("(unclosed"));
        Assert.Contains("(unclosed", ex.Message, StringComparison.Ordinal);

        var target = Assert.Throws<ArgumentException>(() => Metrics.TargetPattern.ScoreAsync(new Example("in", "[bad") { Source = "data.jsonl:7" }, "x").AsTask().GetAwaiter().GetResult());
        Assert.Contains("data.jsonl:7", target.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delegate_metric_is_named_by_the_user_and_checked()
    {
        var metric = Metrics.FromFunction("starts with target", (e, o) => o.StartsWith(e.Target, StringComparison.Ordinal) ? 1 : 0);
        Assert.Equal("starts with target", metric.Name);
        Assert.Empty(metric.Settings);
        Assert.Equal(1, (await metric.ScoreAsync(new Example("x", "ab"), "abc")).Score);

        var withFeedback = Metrics.FromFunction("length", (e, o) => new MetricScore(o.Length <= 5 ? 1 : 0.5, o.Length <= 5 ? null : "Too long."));
        Assert.Equal(new MetricScore(0.5, "Too long."), await withFeedback.ScoreAsync(new Example("x", "y"), "abcdefgh"));

        var outOfRange = Metrics.FromFunction("broken", (e, o) => 1.5);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await outOfRange.ScoreAsync(new Example("x", "y"), "z"));
        Assert.Contains("'broken' returned 1.5", ex.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => Metrics.FromFunction(" ", (e, o) => 1.0));
        var settings = new Dictionary<string, string> { ["version"] = "2" };
        Assert.Equal("2", Metrics.FromFunction("async", (e, o, ct) => ValueTask.FromResult(MetricScore.Success()), settings).Settings["version"]);
    }

    [Fact]
    public void A_score_outside_zero_to_one_cannot_be_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MetricScore(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MetricScore(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MetricScore(1.0000001));
        Assert.Equal(0, default(MetricScore).Score);
    }

    [Fact]
    public void Built_in_metrics_have_plain_names_and_record_their_settings()
    {
        Assert.Equal(["exact match", "contains", "token F1", "regex", "numeric"], new[] { Metrics.ExactMatch, Metrics.Contains, Metrics.TokenF1, Metrics.TargetPattern, Metrics.Numeric() }.Select(m => m.Name));
        var numeric = Metrics.Numeric(new NumericMatchOptions { AbsoluteTolerance = 0.5, PartialCredit = true });
        Assert.Equal("0.5", numeric.Settings["absoluteTolerance"]);
        Assert.Equal("true", numeric.Settings["partialCredit"]);
        Assert.Equal(@"^\d+$", Metrics.Regex(@"^\d+$").Settings["pattern"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NumericMatchOptions { AbsoluteTolerance = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new NumericMatchOptions { RelativeTolerance = double.NaN });
    }
}
