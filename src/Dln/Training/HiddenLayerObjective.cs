namespace DeepLanguageNetworks;

/// <summary>
/// A hidden layer's term of the ELBO: a candidate prompt π scores (1/B) Σ_i Σ_k w_ik · ℓ̄(h_ik | x_i, π), the weighted
/// mean log-likelihood of the posterior samples of the layer's output given its forward input; minus the exploration
/// penalty λ_t · (1/B) Σ over wrongly answered examples of ℓ̄(h_i | x_i, π), the likelihood of the hidden text that led
/// to the error (λ_t decays to 0 over training with <see cref="VariationalTrainerOptions.DecayExplorationPenalty"/>).
/// </summary>
internal sealed class HiddenLayerObjective(Dln network, PromptSelector selector, VariationalTrainerOptions options)
{
    /// <summary>Chooses the prompt of hidden layer <paramref name="layer"/>.</summary>
    /// <param name="pass">The step's batch and forward pass.</param>
    /// <param name="layer">The hidden layer.</param>
    /// <param name="output">The posterior over the layer's output.</param>
    /// <param name="random">The step's stream.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async Task<LayerUpdate> UpdateAsync(BatchPass pass, int layer, Posterior output, Random random, CancellationToken cancellationToken)
    {
        var writer = network.Layers[layer];
        var lambda = VariationalObjective.PenaltyWeight(options.ExplorationPenalty, pass.Step, options.Iterations, options.DecayExplorationPenalty);
        var weights = output.WeightLists;
        var purpose = new CallPurpose(CallRole.Scoring, layer);

        async Task<double> ScoreAsync(string prompt)
        {
            var scores = await Task.WhenAll(output.Samples.Select((hs, i) => Task.WhenAll(hs.Select(async h =>
                (await writer.ScoreContinuationAsync(pass.Forward[i].LayerInputs[layer], h, prompt, purpose, cancellationToken).ConfigureAwait(false)).Mean)))).ConfigureAwait(false);
            var score = VariationalObjective.WeightedScore(weights, scores);
            if (lambda > 0)
            {
                var wrong = await Task.WhenAll(Enumerable.Range(0, pass.Batch.Length).Where(i => !pass.Correct[i]).Select(async i =>
                    (await writer.ScoreContinuationAsync(pass.Forward[i].LayerInputs[layer], pass.Forward[i].HiddenOutputs[layer], prompt, purpose, cancellationToken).ConfigureAwait(false)).Mean)).ConfigureAwait(false);
                score -= lambda * VariationalObjective.Penalty(wrong, pass.Batch.Length);
            }

            return score;
        }

        var shown = pass.Batch.Select((e, i) => new ProposalExample(pass.Forward[i].LayerInputs[layer], pass.Forward[i].HiddenOutputs[layer], output.Best[i], pass.Correct[i])).ToArray();
        var callsPerCandidate = output.Samples.Sum(s => s.Length) + (lambda > 0 ? pass.Correct.Count(c => !c) : 0);
        return await selector.SelectAsync(layer, shown, ScoreAsync, callsPerCandidate, random, cancellationToken).ConfigureAwait(false);
    }
}
