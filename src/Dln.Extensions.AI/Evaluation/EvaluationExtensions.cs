using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>Conversions between Dln metrics and Microsoft.Extensions.AI.Evaluation evaluators, and a judge from a chat client.</summary>
public static class EvaluationExtensions
{
    /// <summary>Uses <paramref name="evaluator"/> as a Dln metric (see <see cref="EvaluatorMetric"/> for how its result becomes a score).</summary>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="chatConfiguration">The chat configuration for evaluators that call an AI model.</param>
    /// <param name="options">Which metric to read and how.</param>
    /// <returns>The metric; a <see cref="MetricEvaluator"/> gives back its metric.</returns>
    public static IMetric AsMetric(this IEvaluator evaluator, ChatConfiguration? chatConfiguration = null, EvaluatorMetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        return evaluator is MetricEvaluator adapter && chatConfiguration is null && options is null
            ? adapter.Metric
            : new EvaluatorMetric(evaluator, chatConfiguration, options);
    }

    /// <summary>
    /// Uses <paramref name="metric"/> as an evaluator: a <see cref="LanguageModelJudge"/> becomes a
    /// <see cref="LanguageModelJudgeEvaluator"/> (its value is the rating), an <see cref="EvaluatorMetric"/> gives back its
    /// evaluator, and any other metric becomes a <see cref="MetricEvaluator"/> (its value is the score).
    /// </summary>
    /// <param name="metric">The metric.</param>
    /// <returns>The evaluator.</returns>
    public static IEvaluator AsEvaluator(this IMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return metric switch
        {
            LanguageModelJudge judge => new LanguageModelJudgeEvaluator(judge),
            EvaluatorMetric wrapped => wrapped.Evaluator,
            _ => new MetricEvaluator(metric),
        };
    }

    /// <summary>
    /// An LLM judge that grades through <paramref name="chatClient"/> (any Microsoft.Extensions.AI client: OpenAI, Azure
    /// OpenAI, Ollama, a middleware pipeline), as a Dln metric (see <see cref="LanguageModelJudge"/>).
    /// </summary>
    /// <param name="chatClient">The chat client that grades.</param>
    /// <param name="options">How it grades.</param>
    /// <returns>The judge.</returns>
    public static LanguageModelJudge AsJudge(this IChatClient chatClient, LanguageModelJudgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        return new LanguageModelJudge(chatClient.AsLanguageModel(), options);
    }
}
