using Microsoft.Extensions.AI.Evaluation;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>How an <see cref="IEvaluator"/> serves as a Dln metric (<see cref="EvaluatorMetric"/>). Each value is checked when set.</summary>
public sealed record EvaluatorMetricOptions
{
    private readonly double _minimum = 1;
    private readonly double _maximum = 5;

    /// <summary>
    /// The evaluation metric to read from the evaluator's result (one of its <see cref="IEvaluator.EvaluationMetricNames"/>).
    /// Null (default): the evaluator's only metric; an evaluator with several needs one named.
    /// </summary>
    public string? MetricName { get; init; }

    /// <summary>The Dln metric's name in reports and checkpoints. Null (default): the evaluation metric's name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The value of a <see cref="NumericMetric"/> that maps to score 0. Default 1, the bottom of the 1–5 scale of
    /// Microsoft's quality evaluators (Relevance, Coherence, Equivalence, …).
    /// </summary>
    public double Minimum { get => _minimum; init => _minimum = double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(Minimum), value, "Minimum must be a finite number."); }

    /// <summary>The value of a <see cref="NumericMetric"/> that maps to score 1. Default 5, the top of the quality evaluators' scale.</summary>
    public double Maximum { get => _maximum; init => _maximum = double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(Maximum), value, "Maximum must be a finite number."); }

    /// <summary>
    /// The additional contexts given to the evaluator for an example. Null (default): one <see cref="ExpectedAnswerContext"/>
    /// with the example's target. Give your own to map the target to the context an evaluator expects (for example
    /// the Quality package's <c>EquivalenceEvaluatorContext</c>).
    /// </summary>
    public Func<Example, IEnumerable<EvaluationContext>>? Context { get; init; }
}
