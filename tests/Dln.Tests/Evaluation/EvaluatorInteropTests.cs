using DeepLanguageNetworks.Extensions.AI;
using DeepLanguageNetworks.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using AIEvaluationResult = Microsoft.Extensions.AI.Evaluation.EvaluationResult;

namespace DeepLanguageNetworks.Tests.Evaluation;

/// <summary>Microsoft.Extensions.AI.Evaluation evaluators as Dln metrics, and Dln metrics (the judge included) as evaluators.</summary>
public class EvaluatorInteropTests
{
    private static readonly Example Example = new("What is 6 times 7?", "42");

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(3.0, 0.5)]
    [InlineData(4.0, 0.75)]
    [InlineData(5.0, 1.0)]
    [InlineData(7.0, 1.0)] // clamped
    public async Task A_numeric_metric_on_the_quality_scale_maps_linearly(double value, double expected)
    {
        var evaluator = new StubEvaluator("Equivalence", (_, _, _) => new NumericMetric("Equivalence", value, "Close enough."));

        var score = await evaluator.AsMetric().ScoreAsync(Example, "42");

        Assert.Equal(expected, score.Score, 12);
        Assert.Equal("Close enough.", score.Feedback);
    }

    [Fact]
    public async Task The_evaluator_sees_the_input_the_output_and_the_expected_answer()
    {
        var evaluator = new StubEvaluator("Match", (messages, response, context) =>
        {
            var expected = context!.OfType<ExpectedAnswerContext>().Single().ExpectedAnswer;
            Assert.Equal("What is 6 times 7?", Assert.Single(messages).Text);
            Assert.Equal(ChatRole.User, messages.Single().Role);
            return new BooleanMetric("Match", response.Text == expected);
        });
        var metric = evaluator.AsMetric();

        Assert.Equal(1, (await metric.ScoreAsync(Example, "42")).Score);
        Assert.Equal(0, (await metric.ScoreAsync(Example, "41")).Score);
        Assert.Equal("Match", metric.Name);
        Assert.Equal(typeof(StubEvaluator).FullName, metric.Settings["evaluator"]);
    }

    [Fact]
    public async Task Custom_contexts_a_chosen_metric_and_a_custom_range()
    {
        var evaluator = new StubEvaluator(["Fluency", "Accuracy"], (_, _, context) =>
        {
            Assert.Equal("ground truth", Assert.Single(context!).Name);
            return new AIEvaluationResult(new NumericMetric("Fluency", 1), new NumericMetric("Accuracy", 0.25));
        });

        var metric = evaluator.AsMetric(options: new EvaluatorMetricOptions
        {
            MetricName = "Accuracy",
            Name = "my accuracy",
            Minimum = 0,
            Maximum = 1,
            Context = e => [new GroundTruth(e.Target)],
        });

        Assert.Equal("my accuracy", metric.Name);
        Assert.Equal(0.25, (await metric.ScoreAsync(Example, "x")).Score);
        var several = Assert.Throws<ArgumentException>(() => evaluator.AsMetric());
        Assert.Contains("Fluency, Accuracy", several.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => evaluator.AsMetric(options: new EvaluatorMetricOptions { MetricName = "Coherence" }));
    }

    [Fact]
    public async Task A_string_metric_maps_by_its_interpretation_and_no_value_is_an_error()
    {
        var interpreted = new StubEvaluator("Verdict", (_, _, _) => new StringMetric("Verdict", "meh")
        {
            Interpretation = new EvaluationMetricInterpretation(EvaluationRating.Poor, failed: true, reason: "Not good enough."),
        });
        var verdict = await interpreted.AsMetric().ScoreAsync(Example, "x");
        Assert.Equal(new MetricScore(0, "Not good enough."), verdict);

        var bare = new StubEvaluator("Verdict", (_, _, _) => new StringMetric("Verdict", "meh"));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await bare.AsMetric().ScoreAsync(Example, "x"));

        var failing = new StubEvaluator("Relevance", (_, _, _) =>
        {
            var metric = new NumericMetric("Relevance");
            metric.AddDiagnostics(EvaluationDiagnostic.Error("No chat configuration was provided."));
            return metric;
        });
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await failing.AsMetric().ScoreAsync(Example with { Source = "math.jsonl:2" }, "x"));
        Assert.Contains("No chat configuration was provided.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("math.jsonl:2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Dln_metric_as_an_evaluator_reports_its_score_feedback_and_interpretation()
    {
        var evaluator = Metrics.Numeric(new NumericMatchOptions { PartialCredit = true }).AsEvaluator();

        var result = await evaluator.EvaluateAsync(
            [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "What is 6 times 7?")],
            new ChatResponse(new ChatMessage(ChatRole.Assistant, "I think 21.")),
            additionalContext: [new ExpectedAnswerContext("42")]);

        var metric = result.Get<NumericMetric>("numeric");
        Assert.Equal(["numeric"], evaluator.EvaluationMetricNames);
        Assert.Equal(0.5, metric.Value);
        Assert.Equal("The output's number is 21, but the correct number is 42 (off by 21).", metric.Reason);
        Assert.True(metric.Interpretation!.Failed);
        Assert.Equal(EvaluationRating.Average, metric.Interpretation.Rating);
        Assert.Equal("true", metric.Metadata!["partialCredit"]);

        var missing = await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "q")], new ChatResponse(new ChatMessage(ChatRole.Assistant, "a")));
        var error = Assert.Single(missing.Get<NumericMetric>("numeric").Diagnostics!);
        Assert.Equal(EvaluationDiagnosticSeverity.Error, error.Severity);
        Assert.Contains("ExpectedAnswerContext", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Round_trips_give_back_what_was_wrapped()
    {
        var metric = Metrics.TokenF1;
        Assert.Same(metric, metric.AsEvaluator().AsMetric());

        var evaluator = new StubEvaluator("Match", (_, _, _) => new BooleanMetric("Match", true));
        Assert.Same(evaluator, evaluator.AsMetric().AsEvaluator());

        // A metric wrapped twice scores the same.
        var twice = new MetricEvaluator(Metrics.TokenF1).AsMetric(options: new EvaluatorMetricOptions { Minimum = 0, Maximum = 1 });
        Assert.Equal(0.8, (await twice.ScoreAsync(new Example("x", "a b c"), "a b")).Score, 12);
    }

    [Fact]
    public async Task The_judge_as_an_evaluator_grades_with_the_chat_configuration_and_reports_the_rating()
    {
        var chat = new ScriptedChatClient(prompt => prompt.Contains("> 42\n## Student output\n> 42", StringComparison.Ordinal) ? "Rating: 5\nReason: Right." : "Rating: 2\nReason: Wrong product.");
        IEvaluator evaluator = new LanguageModelJudgeEvaluator();

        var good = await evaluator.EvaluateAsync(
            [new ChatMessage(ChatRole.User, "What is 6 times 7?")], new ChatResponse(new ChatMessage(ChatRole.Assistant, "42")), new ChatConfiguration(chat), [new ExpectedAnswerContext("42")]);
        var bad = await evaluator.EvaluateAsync(
            [new ChatMessage(ChatRole.User, "What is 6 times 7?")], new ChatResponse(new ChatMessage(ChatRole.Assistant, "48")), new ChatConfiguration(chat), [new ExpectedAnswerContext("42")]);

        Assert.Equal(5, good.Get<NumericMetric>("judge").Value);
        Assert.False(good.Get<NumericMetric>("judge").Interpretation!.Failed);
        var badMetric = bad.Get<NumericMetric>("judge");
        Assert.Equal(2, badMetric.Value);
        Assert.Equal("Wrong product.", badMetric.Reason);
        Assert.True(badMetric.Interpretation!.Failed);
        Assert.All(chat.Requests, r => Assert.Equal(0f, r.Options?.Temperature));

        // Read back as a Dln metric through the default 1-5 mapping, it is the judge's own score.
        var asMetric = evaluator.AsMetric(new ChatConfiguration(chat));
        Assert.Equal(0.25, (await asMetric.ScoreAsync(new Example("What is 6 times 7?", "42"), "48")).Score);

        var noClient = await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "q")], new ChatResponse(new ChatMessage(ChatRole.Assistant, "a")), additionalContext: [new ExpectedAnswerContext("x")]);
        Assert.Contains("ChatConfiguration", Assert.Single(noClient.Get<NumericMetric>("judge").Diagnostics!).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Dln_judge_as_an_evaluator_keeps_its_own_model_and_flags_a_reply_without_rating()
    {
        var model = new ScriptedLanguageModel().Generates(_ => "I refuse to grade.");
        var evaluator = Metrics.Judge(model).AsEvaluator();

        var result = await evaluator.EvaluateAsync(
            [new ChatMessage(ChatRole.User, "q")], new ChatResponse(new ChatMessage(ChatRole.Assistant, "a")), additionalContext: [new ExpectedAnswerContext("b")]);

        Assert.IsType<LanguageModelJudgeEvaluator>(evaluator);
        var metric = result.Get<NumericMetric>("judge");
        Assert.Null(metric.Value);
        Assert.StartsWith("The judge's reply has no rating", Assert.Single(metric.Diagnostics!).Message, StringComparison.Ordinal);
        Assert.Single(model.Generations);
    }

    /// <summary>A context of the evaluator's own kind, as the Quality package's evaluators define theirs.</summary>
    private sealed class GroundTruth(string text) : EvaluationContext("ground truth", text);

    /// <summary>An evaluator whose result a test scripts.</summary>
    private sealed class StubEvaluator : IEvaluator
    {
        private readonly Func<IEnumerable<ChatMessage>, ChatResponse, IEnumerable<EvaluationContext>?, AIEvaluationResult> _evaluate;

        public StubEvaluator(string name, Func<IEnumerable<ChatMessage>, ChatResponse, IEnumerable<EvaluationContext>?, EvaluationMetric> evaluate)
        {
            EvaluationMetricNames = [name];
            _evaluate = (m, r, c) => new AIEvaluationResult(evaluate(m, r, c));
        }

        public StubEvaluator(string[] names, Func<IEnumerable<ChatMessage>, ChatResponse, IEnumerable<EvaluationContext>?, AIEvaluationResult> evaluate)
        {
            EvaluationMetricNames = names;
            _evaluate = evaluate;
        }

        public IReadOnlyCollection<string> EvaluationMetricNames { get; }

        public ValueTask<AIEvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null, IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(_evaluate(messages, modelResponse, additionalContext));
    }
}
