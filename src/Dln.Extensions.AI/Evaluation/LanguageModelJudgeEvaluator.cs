using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using AIEvaluationResult = Microsoft.Extensions.AI.Evaluation.EvaluationResult;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>
/// Dln's LLM judge (<see cref="LanguageModelJudge"/>: its grading prompt, temperature 0, its reading of the reply) as a
/// Microsoft.Extensions.AI.Evaluation <see cref="IEvaluator"/>. It grades with the chat client of the
/// <see cref="ChatConfiguration"/> it is given, as Microsoft's AI-based evaluators do, or with a judge of its own.
/// </summary>
/// <remarks>
/// The result has one <see cref="NumericMetric"/> named after the judge (<see cref="LanguageModelJudgeOptions.Name"/>)
/// whose value is the rating itself, from 1 to <see cref="LanguageModelJudgeOptions.MaxRating"/> (the 1–5 scale of
/// Microsoft's quality evaluators by default, so <see cref="EvaluatorMetric"/> maps it back to the judge's score), and
/// whose reason is the judge's; failed below the passing score (by default a rating of 4 of 5). A reply without a
/// rating leaves the value empty with an error diagnostic. The expected answer comes from an
/// <see cref="ExpectedAnswerContext"/>, needed unless the judge grades without one
/// (<see cref="LanguageModelJudgeOptions.ShowsCorrectOutput"/>).
/// </remarks>
public sealed class LanguageModelJudgeEvaluator : IEvaluator
{
    private readonly LanguageModelJudge? _judge;
    private readonly LanguageModelJudgeOptions _options;
    private readonly double _passingScore;

    /// <summary>A judge that grades with the chat client of the chat configuration passed to <see cref="EvaluateAsync"/>.</summary>
    /// <param name="options">How it grades; the defaults rate 1–5 for correctness.</param>
    /// <param name="passingScore">The lowest judge score in [0, 1] that does not fail; default 0.75 (a rating of 4 of 5).</param>
    public LanguageModelJudgeEvaluator(LanguageModelJudgeOptions? options = null, double passingScore = 0.75)
    {
        _options = options ?? new LanguageModelJudgeOptions();
        _passingScore = EvaluationInterop.CheckPassingScore(passingScore);
    }

    /// <summary>An evaluator over an existing judge, which grades with its own model whatever chat configuration is passed.</summary>
    /// <param name="judge">The judge.</param>
    /// <param name="passingScore">The lowest judge score in [0, 1] that does not fail; default 0.75.</param>
    public LanguageModelJudgeEvaluator(LanguageModelJudge judge, double passingScore = 0.75)
    {
        ArgumentNullException.ThrowIfNull(judge);
        _judge = judge;
        _options = judge.Options;
        _passingScore = EvaluationInterop.CheckPassingScore(passingScore);
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames => [_options.Name];

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
        var judge = _judge;
        if (judge is null)
        {
            if (chatConfiguration?.ChatClient is not { } client)
            {
                return EvaluationInterop.Failed(_options.Name, "The judge grades with an AI model: pass a ChatConfiguration with the chat client to grade with.");
            }

            judge = new LanguageModelJudge(client.AsLanguageModel(), _options);
        }

        var expected = ExpectedAnswerContext.Find(additionalContext);
        if (expected is null && _options.ShowsCorrectOutput)
        {
            return EvaluationInterop.Failed(_options.Name, "The judge compares the response with the expected answer: pass new ExpectedAnswerContext(expectedAnswer) in the additional context, or set LanguageModelJudgeOptions.ShowsCorrectOutput to false.");
        }

        var verdict = await judge.JudgeAsync(new Example(EvaluationInterop.Input(messages), expected ?? string.Empty), modelResponse.Text, cancellationToken).ConfigureAwait(false);
        var metric = new NumericMetric(_options.Name, verdict.Rating, verdict.Reason);
        if (verdict.Rating is null)
        {
            metric.AddDiagnostics(EvaluationDiagnostic.Error(verdict.Reason));
        }
        else
        {
            metric.Interpretation = EvaluationInterop.Interpret(verdict.Score, _passingScore);
        }

        metric.AddOrUpdateMetadata("maxRating", _options.MaxRating.ToString(CultureInfo.InvariantCulture));
        metric.AddOrUpdateMetadata("judgeModel", judge.Model.Metadata.ModelId);
        return new AIEvaluationResult(metric);
    }
}
