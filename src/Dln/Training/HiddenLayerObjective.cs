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
    /// <returns>How the prompt was chosen, and the examples (by position) whose scoring did not fit the context window.</returns>
    public async Task<Selection> UpdateAsync(BatchPass pass, int layer, Posterior output, Random random, CancellationToken cancellationToken)
    {
        var writer = network.Layers[layer];
        var lambda = VariationalObjective.PenaltyWeight(options.ExplorationPenalty, pass.Step, options.Iterations, options.DecayExplorationPenalty);
        var weights = output.WeightLists;
        var purpose = new CallPurpose(CallRole.Scoring, layer);
        var wrongExamples = Enumerable.Range(0, pass.Batch.Length).Where(i => !pass.Correct[i]).ToArray();

        async Task<CandidateEvaluation> ScoreAsync(string prompt)
        {
            var fitted = await Task.WhenAll(output.Samples.Select((hs, i) => Task.WhenAll(hs.Select(h => ContextOverflow.TryAsync(async () =>
                (await writer.ScoreContinuationAsync(pass.Forward[i].LayerInputs[layer], h, prompt, purpose, cancellationToken).ConfigureAwait(false)).Mean))))).ConfigureAwait(false);
            var scores = fitted.Select(f => f.All(x => x.Fits) ? f.Select(x => x.Value).ToArray() : null).ToArray();
            var overflowed = Enumerable.Range(0, scores.Length).Where(i => scores[i] is null).ToHashSet();
            var wrong = new Dictionary<int, double>();
            if (lambda > 0)
            {
                var penalties = await Task.WhenAll(wrongExamples.Select(i => ContextOverflow.TryAsync(async () =>
                    (await writer.ScoreContinuationAsync(pass.Forward[i].LayerInputs[layer], pass.Forward[i].HiddenOutputs[layer], prompt, purpose, cancellationToken).ConfigureAwait(false)).Mean))).ConfigureAwait(false);
                for (var w = 0; w < wrongExamples.Length; w++)
                {
                    if (penalties[w].Fits)
                    {
                        wrong[wrongExamples[w]] = penalties[w].Value;
                    }
                    else
                    {
                        overflowed.Add(wrongExamples[w]);
                    }
                }
            }

            // Over a subset the same formulas run on the picked examples, so that a batch without overflow scores as before.
            return new CandidateEvaluation(pass.Batch.Length, overflowed, kept =>
            {
                var score = VariationalObjective.WeightedScore(CandidateEvaluation.Pick(weights, kept), CandidateEvaluation.Rows(scores, kept));
                if (lambda > 0)
                {
                    var picked = kept ?? Enumerable.Range(0, pass.Batch.Length).ToArray();
                    score -= lambda * VariationalObjective.Penalty(picked.Where(wrong.ContainsKey).Select(i => wrong[i]), picked.Count);
                }

                return score;
            });
        }

        var shown = pass.Batch.Select((e, i) => new ProposalExample(pass.Forward[i].LayerInputs[layer], pass.Forward[i].HiddenOutputs[layer], output.Best[i], pass.Correct[i])).ToArray();
        return await selector.SelectAsync(layer, shown, ScoreAsync, random, cancellationToken).ConfigureAwait(false);
    }
}
