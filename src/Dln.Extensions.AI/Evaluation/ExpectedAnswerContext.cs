using Microsoft.Extensions.AI.Evaluation;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>
/// The expected answer of an example (Dln's <see cref="Example.Target"/>), as the <see cref="EvaluationContext"/> that
/// carries it between Dln and Microsoft.Extensions.AI.Evaluation: <see cref="EvaluatorMetric"/> passes one to the
/// evaluator it wraps, and <see cref="MetricEvaluator"/> and <see cref="LanguageModelJudgeEvaluator"/> read it.
/// </summary>
/// <param name="expectedAnswer">The expected answer.</param>
public sealed class ExpectedAnswerContext(string expectedAnswer) : EvaluationContext(ContextName, expectedAnswer ?? throw new ArgumentNullException(nameof(expectedAnswer)))
{
    /// <summary>The context's name, <c>Expected answer</c>; a context of another type with this name is read as well.</summary>
    public const string ContextName = "Expected answer";

    /// <summary>The expected answer.</summary>
    public string ExpectedAnswer { get; } = expectedAnswer;

    /// <summary>The expected answer among <paramref name="contexts"/>: an <see cref="ExpectedAnswerContext"/>, else the text of a context named <see cref="ContextName"/>.</summary>
    internal static string? Find(IEnumerable<EvaluationContext>? contexts)
    {
        if (contexts is null)
        {
            return null;
        }

        var list = contexts as IReadOnlyCollection<EvaluationContext> ?? [.. contexts];
        if (list.OfType<ExpectedAnswerContext>().FirstOrDefault() is { } typed)
        {
            return typed.ExpectedAnswer;
        }

        var named = list.FirstOrDefault(c => string.Equals(c.Name, ContextName, StringComparison.Ordinal));
        return named is null ? null : string.Concat(named.Contents.OfType<Microsoft.Extensions.AI.TextContent>().Select(t => t.Text));
    }
}
