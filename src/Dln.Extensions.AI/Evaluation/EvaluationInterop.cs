using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>The conversions shared by the evaluation adapters.</summary>
internal static class EvaluationInterop
{
    /// <summary>A metric's reason, its interpretation's reason and its warnings and errors, joined; null when there is none.</summary>
    public static string? Feedback(EvaluationMetric metric)
    {
        var parts = new List<string>();
        void Add(string? text)
        {
            if (!string.IsNullOrWhiteSpace(text) && !parts.Contains(text.Trim()))
            {
                parts.Add(text.Trim());
            }
        }

        Add(metric.Reason);
        Add(metric.Interpretation?.Reason);
        foreach (var d in metric.Diagnostics ?? [])
        {
            if (d.Severity is EvaluationDiagnosticSeverity.Warning or EvaluationDiagnosticSeverity.Error)
            {
                Add(d.Message);
            }
        }

        return parts.Count == 0 ? null : string.Join(" ", parts);
    }

    /// <summary>
    /// How a score in [0, 1] reads as a rating: 1 exceptional, from 0.75 good, from 0.5 average, from 0.25 poor, below
    /// unacceptable; failed below <paramref name="passingScore"/>.
    /// </summary>
    public static EvaluationMetricInterpretation Interpret(double score, double passingScore)
    {
        var rating = score switch
        {
            >= 1 => EvaluationRating.Exceptional,
            >= 0.75 => EvaluationRating.Good,
            >= 0.5 => EvaluationRating.Average,
            >= 0.25 => EvaluationRating.Poor,
            _ => EvaluationRating.Unacceptable,
        };
        var failed = score < passingScore;
        return new EvaluationMetricInterpretation(rating, failed, failed ? $"The score {score:0.###} is below the passing score {passingScore:0.###}." : null);
    }

    /// <summary>The user's request of a conversation: its last user message, else all messages' text.</summary>
    public static string Input(IEnumerable<ChatMessage> messages)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        return list.TryGetUserRequest(out var request) ? request.Text : string.Join("\n", list.Select(m => m.Text));
    }

    /// <summary>Checks a passing score.</summary>
    public static double CheckPassingScore(double passingScore) =>
        passingScore is >= 0 and <= 1 ? passingScore : throw new ArgumentOutOfRangeException(nameof(passingScore), passingScore, "The passing score must be in [0, 1].");

    /// <summary>A result of one metric with no value and an error saying why.</summary>
    public static Microsoft.Extensions.AI.Evaluation.EvaluationResult Failed(string metricName, string error)
    {
        var metric = new NumericMetric(metricName);
        metric.AddDiagnostics(EvaluationDiagnostic.Error(error));
        return new Microsoft.Extensions.AI.Evaluation.EvaluationResult(metric);
    }
}
