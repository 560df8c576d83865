using DeepLanguageNetworks;

/// <summary>Accuracy and mean gold-answer log-likelihood of a classification network on held-out examples.</summary>
/// <param name="Accuracy">Fraction of examples answered correctly.</param>
/// <param name="LogLikelihood">Mean of log P(gold class | input) under the network, the quantity DLN maximises; null when
/// the backend gives no class distribution (a model without log-probabilities answers by generation).</param>
internal sealed record TestScores(double Accuracy, double? LogLikelihood)
{
    /// <summary>Runs the network once on every example and measures both.</summary>
    /// <param name="network">A network with a classification output layer.</param>
    /// <param name="examples">The held-out examples.</param>
    /// <returns>The scores.</returns>
    public static async Task<TestScores> MeasureAsync(Dln network, IReadOnlyList<Example> examples)
    {
        var correct = new bool[examples.Count];
        var logLikelihoods = new double?[examples.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, examples.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) =>
            {
                var example = examples[i];
                var result = await network.InvokeAsync(example.Input, prompts: null, new CallPurpose(CallRole.Evaluation), ct);
                correct[i] = network.OutputLayer.OutputSpace.IsCorrect(result.Output, result.PredictedClass, example.Target);
                logLikelihoods[i] = result.Distribution?.LogProbabilityOf(example.Target);
            });

        var accuracy = examples.Count == 0 ? 0 : correct.Count(c => c) / (double)examples.Count;
        var logLikelihood = logLikelihoods.All(l => l.HasValue) && examples.Count > 0 ? logLikelihoods.Average(l => l!.Value) : (double?)null;
        return new TestScores(accuracy, logLikelihood);
    }
}
