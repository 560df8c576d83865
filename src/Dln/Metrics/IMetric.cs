namespace DeepLanguageNetworks;

/// <summary>
/// What a good answer is for a task: a score in [0, 1] for a network's output on an example, with optional feedback
/// text saying what is wrong. The trainer selects prompts by the mean score on dev, shows the proposer the outputs
/// that scored below 1 as errors (with their feedback), and scores candidate prompts by it where log-probabilities do
/// not apply; <c>Dln.EvaluateAsync</c> reports its mean. Built-ins are in <see cref="Metrics"/>.
/// </summary>
/// <remarks>
/// <para>The counterpart of DSPy's metric, a function of the example and the prediction that returns a score and,
/// for GEPA, textual feedback; and of a Microsoft.Extensions.AI.Evaluation <c>IEvaluator</c>, to which the
/// Dln.Extensions.AI package converts a metric, and from which it makes one.</para>
/// <para>Implementations must be thread-safe (examples are scored concurrently) and deterministic for the same
/// example and output, since the trainer compares candidates by their scores and may score an output again after a
/// resume. A metric that calls a model should make its calls reproducible (temperature 0), as
/// <see cref="LanguageModelJudge"/> does.</para>
/// </remarks>
public interface IMetric
{
    /// <summary>
    /// The metric's name, as reports show it (<c>exact match</c>, <c>token F1</c>, your own for a delegate). With
    /// <see cref="Settings"/> it identifies the metric in checkpoints and saved networks: a run is resumed only with
    /// the metric it was started with.
    /// </summary>
    string Name { get; }

    /// <summary>
    /// The settings that change what the metric scores (a tolerance, a pattern, a judge's model and criteria), as
    /// invariant-culture strings; empty when the name says it all.
    /// </summary>
    IReadOnlyDictionary<string, string> Settings => Metrics.NoSettings;

    /// <summary>Scores <paramref name="output"/> as the answer to <paramref name="example"/>.</summary>
    /// <param name="example">The example: its input and the expected output (<see cref="Example.Target"/>).</param>
    /// <param name="output">What the network answered (for a classification layer, the predicted class's spelling).</param>
    /// <param name="cancellationToken">Cancels the scoring (a judge's call).</param>
    /// <returns>The score in [0, 1] (1: a full success) and optional feedback.</returns>
    ValueTask<MetricScore> ScoreAsync(Example example, string output, CancellationToken cancellationToken = default);
}
