using System.Collections.ObjectModel;
using System.Text.RegularExpressions;

namespace DeepLanguageNetworks;

/// <summary>
/// The built-in metrics (<see cref="IMetric"/>) and ways to make your own. Each compares the output with the
/// example's <see cref="Example.Target"/>; text is normalised by <see cref="AnswerNormalizer.NormalizeText"/> (case,
/// punctuation and spacing ignored, in any script; digits kept).
/// </summary>
/// <example>
/// <code>
/// var trainer = new VariationalTrainer(model, VariationalTrainerOptions.Dln1 with { Metric = Metrics.TokenF1 });
/// var price = Metrics.Numeric(new NumericMatchOptions { RelativeTolerance = 0.01, PartialCredit = true });
/// var mine = Metrics.FromFunction("starts with the target", (example, output) =&gt; output.StartsWith(example.Target) ? 1 : 0);
/// </code>
/// </example>
public static class Metrics
{
    /// <summary>
    /// Exact match, the default: 1 when the output and the target are equal after <see cref="AnswerNormalizer.NormalizeText"/>
    /// (two empty texts are equal), else 0. On a classification layer it is class correctness: the output is right
    /// when it names the class the target names, by label or any spelling (<see cref="OutputSpace.FindClass"/>, which
    /// compares first words as the paper does: <c>(A)</c> = <c>a</c>, <c>Yes.</c> = <c>yes</c>). The mean of this
    /// metric is the accuracy.
    /// </summary>
    public static IMetric ExactMatch { get; } = new ExactMatchMetric();

    /// <summary>
    /// Normalised containment: 1 when the target's normalised words appear, in order and next to each other, among the
    /// output's (<c>"The order number is ORD-1234."</c> contains <c>ord 1234</c>), else 0. An empty target is contained only in
    /// an empty output.
    /// </summary>
    public static IMetric Contains { get; } = new ContainsMetric();

    /// <summary>
    /// Token F1 (as in SQuAD, without dropping English articles): the harmonic mean of the precision and recall of the
    /// output's normalised words against the target's, counted with repetition; each Chinese or Japanese character
    /// counts as a word. 1 for two empty texts, 0 when only one is empty. Below 1 the feedback names the missing and the
    /// unexpected words.
    /// </summary>
    public static IMetric TokenF1 { get; } = new TokenF1Metric();

    /// <summary>
    /// Regular-expression targets: each example's <see cref="Example.Target"/> is a .NET regular expression, and the
    /// output scores 1 when the pattern matches it (somewhere; anchor it with <c>^…$</c> for the whole output), else 0.
    /// </summary>
    public static IMetric TargetPattern { get; } = new RegexMetric(null, RegexOptions.None);

    internal static IReadOnlyDictionary<string, string> NoSettings { get; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>
    /// Numeric answers: the last number in the output against the last number in the target, equal within the
    /// tolerances of <paramref name="options"/>, with optional partial credit (see <see cref="NumericMatchOptions"/>).
    /// Numbers may have a sign, a decimal point, comma thousands separators and an exponent, in the digits of any script
    /// (<c>"The total is 1,250.50 dollars"</c> → 1250.5; <c>"ORD-1234"</c> → 1234). An output without a number scores 0.
    /// </summary>
    /// <param name="options">Tolerances and partial credit; exact equality by default.</param>
    /// <returns>The metric.</returns>
    public static IMetric Numeric(NumericMatchOptions? options = null) => new NumericMatchMetric(options ?? new NumericMatchOptions());

    /// <summary>Numeric answers equal within <paramref name="absoluteTolerance"/> (see <see cref="Numeric(NumericMatchOptions?)"/>).</summary>
    /// <param name="absoluteTolerance">Largest difference that still counts as equal.</param>
    /// <param name="partialCredit">Whether an answer outside the tolerance gets 1 minus its relative error (at least 0).</param>
    /// <returns>The metric.</returns>
    public static IMetric Numeric(double absoluteTolerance, bool partialCredit = false) =>
        Numeric(new NumericMatchOptions { AbsoluteTolerance = absoluteTolerance, PartialCredit = partialCredit });

    /// <summary>
    /// A format check: 1 when <paramref name="pattern"/> matches the output (somewhere; anchor it with <c>^…$</c>), else
    /// 0, whatever the target. Matching is bounded by a one-second timeout; an output that times out scores 0.
    /// </summary>
    /// <param name="pattern">A .NET regular expression.</param>
    /// <param name="options">Regular-expression options (for example <see cref="RegexOptions.IgnoreCase"/>).</param>
    /// <returns>The metric.</returns>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public static IMetric Regex(string pattern, RegexOptions options = RegexOptions.None)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return new RegexMetric(pattern, options);
    }

    /// <summary>Your own metric from a function of the example and the output that returns a score in [0, 1].</summary>
    /// <param name="name">The metric's name, which identifies it in checkpoints and saved networks: change it when you change what the function scores.</param>
    /// <param name="score">The scoring function; must be thread-safe and deterministic.</param>
    /// <returns>The metric.</returns>
    public static IMetric FromFunction(string name, Func<Example, string, double> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new DelegateMetric(name, (e, o, _) => ValueTask.FromResult(DelegateMetric.Checked(name, score(e, o))), null);
    }

    /// <summary>Your own metric from a function that returns a score and optional feedback.</summary>
    /// <param name="name">The metric's name (see <see cref="FromFunction(string, Func{Example, string, double})"/>).</param>
    /// <param name="score">The scoring function; must be thread-safe and deterministic.</param>
    /// <returns>The metric.</returns>
    public static IMetric FromFunction(string name, Func<Example, string, MetricScore> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new DelegateMetric(name, (e, o, _) => ValueTask.FromResult(score(e, o)), null);
    }

    /// <summary>Your own asynchronous metric (one that calls a service, say).</summary>
    /// <param name="name">The metric's name (see <see cref="FromFunction(string, Func{Example, string, double})"/>).</param>
    /// <param name="score">The scoring function; must be thread-safe and deterministic.</param>
    /// <param name="settings">Settings recorded with the name in checkpoints (optional).</param>
    /// <returns>The metric.</returns>
    public static IMetric FromFunction(string name, Func<Example, string, CancellationToken, ValueTask<MetricScore>> score, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new DelegateMetric(name, score, settings);
    }

    /// <summary>
    /// An LLM as judge: <paramref name="judge"/> grades each output against the target on a rating scale, at
    /// temperature 0, and the rating becomes the score (see <see cref="LanguageModelJudge"/>).
    /// </summary>
    /// <param name="judge">The model that grades (any backend that generates).</param>
    /// <param name="options">The scale, criteria and name; the defaults grade 1–5 for correctness.</param>
    /// <returns>The judge.</returns>
    public static LanguageModelJudge Judge(ILanguageModel judge, LanguageModelJudgeOptions? options = null) => new(judge, options);
}
