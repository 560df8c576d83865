namespace DeepLanguageNetworks;

/// <summary>
/// How the output layer scores an answer under a prompt: the log-probability of the target class (next-token top-k),
/// the mean log-likelihood of a free-text target (teacher forcing), or 0/1 accuracy of the generated answer.
/// </summary>
internal sealed class OutputScorer(LanguageLayer outputLayer, OutputScoring scoring)
{
    /// <summary>Whether scores are log-probabilities (and class distributions exist for the trust region).</summary>
    public bool ScoresLogProbabilities => scoring == OutputScoring.LogProbabilities;

    /// <summary>The requests one <see cref="ScoreAsync"/> makes.</summary>
    public int CallsPerScore => scoring == OutputScoring.Accuracy ? outputLayer.ForwardCalls
        : outputLayer.OutputSpace.IsClassification ? outputLayer.ClassScoringCalls
        : 1;

    public async Task<(double Score, ClassDistribution? Distribution)> ScoreAsync(string input, string target, string prompt, CallPurpose purpose, CancellationToken cancellationToken)
    {
        if (scoring == OutputScoring.Accuracy)
        {
            // The session's output layer answers by generation under accuracy scoring (AnswersByGeneration): no
            // log-probability is asked for, so a backend that cannot return them (or a pipeline that drops them) serves.
            var output = await outputLayer.ForwardAsync(input, prompt, purpose, cancellationToken).ConfigureAwait(false);
            return (outputLayer.OutputSpace.IsCorrect(output.Text, output.PredictedClass, target) ? 1 : 0, output.Distribution);
        }

        if (outputLayer.OutputSpace.IsClassification)
        {
            var distribution = await outputLayer.ScoreClassesAsync(input, prompt, purpose, cancellationToken).ConfigureAwait(false);
            return (distribution.LogProbabilityOf(target), distribution);
        }

        var score = await outputLayer.ScoreContinuationAsync(input, target, prompt, purpose, cancellationToken).ConfigureAwait(false);
        return (score.Mean, null);
    }
}
