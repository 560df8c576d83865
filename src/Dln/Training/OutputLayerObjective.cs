namespace DeepLanguageNetworks;

/// <summary>
/// The output layer's term of the ELBO: a candidate prompt π scores (1/B) Σ_i Σ_k w_ik · s(y_i | r_ik, π) over the
/// posterior of the text the output layer reads (the K weighted hidden samples r_ik, or the observed input with weight
/// 1 in a one-layer network), where s is the output score (<see cref="OutputScorer"/>); minus, with a trust region,
/// λ times the mean KL between the current prompt's class distribution and the candidate's on the forward inputs.
/// </summary>
internal sealed class OutputLayerObjective(Dln network, OutputScorer scorer, PromptSelector selector, VariationalTrainerOptions options)
{
    /// <summary>Chooses the output layer's prompt.</summary>
    /// <param name="pass">The step's batch and forward pass.</param>
    /// <param name="input">The posterior over the output layer's input.</param>
    /// <param name="random">The step's stream.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The update, and the chosen prompt's score of every example and sample (to re-weigh the posterior by).</returns>
    public async Task<(LayerUpdate Update, double[][] SelectedScores)> UpdateAsync(BatchPass pass, Posterior input, Random random, CancellationToken cancellationToken)
    {
        var layer = network.Depth - 1;
        var output = network.OutputLayer;
        var purpose = new CallPurpose(CallRole.Scoring, layer);
        var useKl = options.TrustRegionFactor > 0 && output.OutputSpace.IsClassification && scorer.ScoresLogProbabilities;
        var currentDistributions = useKl ? pass.Forward.Select(f => f.Distribution!.Probabilities).ToArray() : null;
        var weights = input.WeightLists;
        var detail = new Dictionary<string, double[][]>(StringComparer.Ordinal);

        async Task<double> ScoreAsync(string prompt)
        {
            var scores = await Task.WhenAll(input.ReaderInputs.Select((readerInputs, i) => Task.WhenAll(readerInputs.Select(async r =>
                (await scorer.ScoreAsync(r, pass.Batch[i].Target, prompt, purpose, cancellationToken).ConfigureAwait(false)).Score)))).ConfigureAwait(false);
            var score = VariationalObjective.WeightedScore(weights, scores);
            if (useKl)
            {
                var candidate = await Task.WhenAll(pass.Forward.Select(async (f, i) =>
                    (IReadOnlyList<double>)(await scorer.ScoreAsync(f.LayerInputs[layer], pass.Batch[i].Target, prompt, purpose, cancellationToken).ConfigureAwait(false)).Distribution!.Probabilities)).ConfigureAwait(false);
                score -= options.TrustRegionFactor * VariationalObjective.MeanKlDivergence(currentDistributions!, candidate);
            }

            lock (detail)
            {
                detail[prompt] = scores;
            }

            return score;
        }

        var shown = pass.Batch.Select((e, i) => new ProposalExample(pass.Forward[i].LayerInputs[layer], pass.Forward[i].Output, e.Target, pass.Correct[i])).ToArray();
        var callsPerCandidate = (input.ReaderInputs.Sum(r => r.Length) + (useKl ? pass.Batch.Length : 0)) * scorer.CallsPerScore;
        var update = await selector.SelectAsync(layer, shown, ScoreAsync, callsPerCandidate, random, cancellationToken).ConfigureAwait(false);
        return (update, detail[update.SelectedPrompt]);
    }
}
