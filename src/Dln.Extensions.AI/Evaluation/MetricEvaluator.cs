using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using AIEvaluationResult = Microsoft.Extensions.AI.Evaluation.EvaluationResult;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>
/// A Dln <see cref="IMetric"/> as a Microsoft.Extensions.AI.Evaluation <see cref="IEvaluator"/>, to use Dln's metrics
/// beside Microsoft's evaluators (in a <see cref="CompositeEvaluator"/>, a reporting pipeline). The example's input is
/// the conversation's last user message, the output the response's text, and the expected answer comes from an
/// <see cref="ExpectedAnswerContext"/> in the additional context.
/// </summary>
/// <remarks>
/// The result has one <see cref="NumericMetric"/> named after the metric, whose value is the score in [0, 1] and whose
/// reason is the feedback, with an interpretation: rating exceptional at 1, good from 0.75, average from 0.5, poor from
/// 0.25, unacceptable below; failed below the passing score. The metric's settings are in its metadata. Without an
/// expected answer the metric has no value and an error diagnostic says what to pass.
/// </remarks>
public sealed class MetricEvaluator : IEvaluator
{
    private readonly double _passingScore;

    /// <summary>Wraps <paramref name="metric"/>.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="passingScore">The lowest score that does not fail; 1 (default, Dln's success) or less for partial credit.</param>
    public MetricEvaluator(IMetric metric, double passingScore = 1)
    {
        ArgumentNullException.ThrowIfNull(metric);
        Metric = metric;
        _passingScore = EvaluationInterop.CheckPassingScore(passingScore);
    }

    /// <summary>The wrapped metric.</summary>
    public IMetric Metric { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames => [Metric.Name];

    /// <inheritdoc />
    public async ValueTask<AIEvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(modelResponse);
        if (ExpectedAnswerContext.Find(additionalContext) is not { } expected)
        {
            return EvaluationInterop.Failed(Metric.Name, $"The Dln metric '{Metric.Name}' compares the response with the expected answer: pass new ExpectedAnswerContext(expectedAnswer) in the additional context.");
        }

        var score = await Metric.ScoreAsync(new Example(EvaluationInterop.Input(messages), expected), modelResponse.Text, cancellationToken).ConfigureAwait(false);
        var metric = new NumericMetric(Metric.Name, score.Score, score.Feedback)
        {
            Interpretation = EvaluationInterop.Interpret(score.Score, _passingScore),
        };
        foreach (var (key, value) in Metric.Settings)
        {
            metric.AddOrUpdateMetadata(key, value);
        }

        return new AIEvaluationResult(metric);
    }
}
