using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using AIEvaluationResult = Microsoft.Extensions.AI.Evaluation.EvaluationResult;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>
/// Any Microsoft.Extensions.AI.Evaluation <see cref="IEvaluator"/> as a Dln <see cref="IMetric"/>. For each example
/// the evaluator sees a conversation of one user message (the example's input) and the output as the assistant's
/// response, with an <see cref="ExpectedAnswerContext"/> holding the target (or the contexts of
/// <see cref="EvaluatorMetricOptions.Context"/>); one evaluation metric of its result becomes the score.
/// </summary>
/// <remarks>
/// <para>The rule from an evaluation metric to a score in [0, 1]:</para>
/// <list type="bullet">
/// <item><see cref="BooleanMetric"/>: true → 1, false → 0.</item>
/// <item><see cref="NumericMetric"/>: (value − <see cref="EvaluatorMetricOptions.Minimum"/>) /
/// (<see cref="EvaluatorMetricOptions.Maximum"/> − Minimum), clamped to [0, 1]: with the default 1 and 5, the quality
/// evaluators' ratings 1, 2, 3, 4, 5 score 0, 0.25, 0.5, 0.75, 1.</item>
/// <item>Any other metric (a <see cref="StringMetric"/>) with an <see cref="EvaluationMetric.Interpretation"/>: failed → 0,
/// else 1; without one it cannot be scored (<see cref="NotSupportedException"/>).</item>
/// <item>A metric without a value (the evaluator could not evaluate: no chat configuration, a failed call) throws
/// <see cref="InvalidOperationException"/> with the evaluator's error diagnostics, which a training run counts against
/// its error budget; so does a result that lacks the metric.</item>
/// </list>
/// <para>The feedback is the metric's <see cref="EvaluationMetric.Reason"/>, its interpretation's reason and its
/// warning and error diagnostics, joined.</para>
/// </remarks>
public sealed class EvaluatorMetric : IMetric
{
    private readonly EvaluatorMetricOptions _options;
    private readonly string _metricName;

    /// <summary>Wraps <paramref name="evaluator"/>.</summary>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="chatConfiguration">The chat configuration for evaluators that call an AI model (their judge); null for those that do not.</param>
    /// <param name="options">Which metric to read and how; the defaults read the only one on a 1–5 scale.</param>
    /// <exception cref="ArgumentException">The evaluator reports several metrics and none is named, or not the one named.</exception>
    public EvaluatorMetric(IEvaluator evaluator, ChatConfiguration? chatConfiguration = null, EvaluatorMetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        _options = options ?? new EvaluatorMetricOptions();
        if (_options.Maximum <= _options.Minimum)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"EvaluatorMetricOptions.Maximum ({_options.Maximum}) must be greater than Minimum ({_options.Minimum})."), nameof(options));
        }

        var names = evaluator.EvaluationMetricNames;
        if (_options.MetricName is { } wanted)
        {
            if (names.Count > 0 && !names.Contains(wanted))
            {
                throw new ArgumentException($"The evaluator {evaluator.GetType().Name} reports the metrics {string.Join(", ", names)}, not '{wanted}' (EvaluatorMetricOptions.MetricName).", nameof(options));
            }

            _metricName = wanted;
        }
        else
        {
            _metricName = names.Count == 1
                ? names.First()
                : throw new ArgumentException($"The evaluator {evaluator.GetType().Name} reports {names.Count} metrics ({string.Join(", ", names)}); say which one scores the outputs with EvaluatorMetricOptions.MetricName.", nameof(options));
        }

        Evaluator = evaluator;
        ChatConfiguration = chatConfiguration;
        Name = _options.Name ?? _metricName;
        Settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["evaluator"] = evaluator.GetType().FullName ?? evaluator.GetType().Name,
            ["metric"] = _metricName,
            ["minimum"] = _options.Minimum.ToString("R", CultureInfo.InvariantCulture),
            ["maximum"] = _options.Maximum.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The wrapped evaluator.</summary>
    public IEvaluator Evaluator { get; }

    /// <summary>The chat configuration given to the evaluator.</summary>
    public ChatConfiguration? ChatConfiguration { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    /// <remarks>The evaluator's type, the metric read and the range mapped to [0, 1].</remarks>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <inheritdoc />
    public async ValueTask<MetricScore> ScoreAsync(Example example, string output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(output);
        var context = _options.Context?.Invoke(example) ?? [new ExpectedAnswerContext(example.Target)];
        var result = await Evaluator.EvaluateAsync(
            [new ChatMessage(ChatRole.User, example.Input)],
            new ChatResponse(new ChatMessage(ChatRole.Assistant, output)),
            ChatConfiguration,
            context,
            cancellationToken).ConfigureAwait(false);
        return ToScore(result, example);
    }

    private MetricScore ToScore(AIEvaluationResult result, Example example)
    {
        if (!result.Metrics.TryGetValue(_metricName, out var metric))
        {
            throw new InvalidOperationException(
                $"The evaluator {Evaluator.GetType().Name} returned no metric '{_metricName}' for {Describe(example)} (it returned {string.Join(", ", result.Metrics.Keys)}).");
        }

        var feedback = EvaluationInterop.Feedback(metric);
        double? score = metric switch
        {
            BooleanMetric b => b.Value is { } value ? (value ? 1 : 0) : null,
            NumericMetric n => n.Value is { } value ? Math.Clamp((value - _options.Minimum) / (_options.Maximum - _options.Minimum), 0, 1) : null,
            _ when metric.Interpretation is { } interpretation => interpretation.Failed ? 0 : 1,
            _ => throw new NotSupportedException(
                $"The evaluator {Evaluator.GetType().Name}'s metric '{_metricName}' is a {metric.GetType().Name} without an interpretation; only numeric and boolean metrics, or metrics with an interpretation, map to a score."),
        };
        if (score is not { } s || double.IsNaN(s))
        {
            var errors = string.Join(" ", (metric.Diagnostics ?? []).Where(d => d.Severity == EvaluationDiagnosticSeverity.Error).Select(d => d.Message));
            throw new InvalidOperationException(
                $"The evaluator {Evaluator.GetType().Name} gave metric '{_metricName}' no value for {Describe(example)}" + (errors.Length > 0 ? $": {errors}" : "."));
        }

        return new MetricScore(s, feedback);
    }

    private static string Describe(Example example) => example.Source is { } source ? $"the example at {source}" : "an example";
}
