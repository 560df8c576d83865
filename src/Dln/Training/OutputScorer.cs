namespace DeepLanguageNetworks;

/// <summary>
/// How the output layer scores an answer under a prompt: the log-probability of the target class (next-token top-k),
/// the mean log-likelihood of a free-text target (teacher forcing), or, under <see cref="OutputScoring.Accuracy"/>, the
/// run's metric of the answer the layer generates.
/// </summary>
internal sealed class OutputScorer(LanguageLayer outputLayer, OutputScoring scoring, IMetric metric)
{
    /// <summary>Whether scores are log-probabilities (and class distributions exist for the trust region).</summary>
    public bool ScoresLogProbabilities => scoring == OutputScoring.LogProbabilities;

    /// <summary>The requests one <see cref="ScoreAsync"/> makes (a judge's grading included under accuracy scoring).</summary>
    public int CallsPerScore => scoring == OutputScoring.Accuracy ? outputLayer.ForwardCalls + MetricScoring.CallsPerScore(metric, outputLayer.OutputSpace)
        : outputLayer.OutputSpace.IsClassification ? outputLayer.ClassScoringCalls
        : 1;

    /// <summary>Scores the output layer's answer to <paramref name="input"/> (what it reads) against <paramref name="example"/>'s target.</summary>
    public async Task<(double Score, ClassDistribution? Distribution)> ScoreAsync(string input, Example example, string prompt, CallPurpose purpose, CancellationToken cancellationToken)
    {
        if (scoring == OutputScoring.Accuracy)
        {
            // The session's output layer answers by generation under accuracy scoring (AnswersByGeneration): no
            // log-probability is asked for, so a backend that cannot return them (or a pipeline that drops them) serves,
            // and the metric sees the answer a user of the network would get.
            var output = await outputLayer.ForwardAsync(input, prompt, purpose, cancellationToken).ConfigureAwait(false);
            var score = await MetricScoring.ScoreAsync(metric, outputLayer.OutputSpace, example, output.Text, output.PredictedClass, cancellationToken).ConfigureAwait(false);
            return (score.Score, output.Distribution);
        }

        if (outputLayer.OutputSpace.IsClassification)
        {
            var distribution = await outputLayer.ScoreClassesAsync(input, prompt, purpose, cancellationToken).ConfigureAwait(false);
            return (distribution.LogProbabilityOf(example.Target), distribution);
        }

        var continuation = await outputLayer.ScoreContinuationAsync(input, example.Target, prompt, purpose, cancellationToken).ConfigureAwait(false);
        return (continuation.Mean, null);
    }
}
