namespace DeepLanguageNetworks;

/// <summary>
/// The output layer's term of the ELBO: a candidate prompt π scores (1/B) Σ_i Σ_k w_ik · s(y_i | r_ik, π) over the
/// posterior of the text the output layer reads (the K weighted hidden samples r_ik, or the observed input with weight
/// 1 in a one-layer network), where s is the output score (<see cref="OutputScorer"/>: a log-likelihood, or the run's
/// metric under <see cref="OutputScoring.Accuracy"/>); minus, with a trust region,
/// λ times the mean KL between the current prompt's class distribution and the candidate's on the forward inputs.
/// </summary>
internal sealed class OutputLayerObjective(Dln network, OutputScorer scorer, PromptSelector selector, VariationalTrainerOptions options)
{
    /// <summary>Chooses the output layer's prompt.</summary>
    /// <param name="pass">The step's batch and forward pass.</param>
    /// <param name="input">The posterior over the output layer's input.</param>
    /// <param name="random">The step's stream.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>
    /// The update; the chosen prompt's score of every remaining example and sample (to re-weigh the posterior by); and
    /// the examples (by position) whose scoring did not fit the context window, which the layers below go on without.
    /// </returns>
    public async Task<(LayerUpdate Update, double[][] SelectedScores, int[] Dropped)> UpdateAsync(BatchPass pass, Posterior input, Random random, CancellationToken cancellationToken)
    {
        var layer = network.Depth - 1;
        var output = network.OutputLayer;
        var purpose = new CallPurpose(CallRole.Scoring, layer);
        var useKl = options.TrustRegionFactor > 0 && output.OutputSpace.IsClassification && scorer.ScoresLogProbabilities;
        var currentDistributions = useKl ? pass.Forward.Select(f => f.Distribution!.Probabilities).ToArray() : null;
        var weights = input.WeightLists;
        var detail = new Dictionary<string, double[]?[]>(StringComparer.Ordinal);

        async Task<CandidateEvaluation> ScoreAsync(string prompt)
        {
            var fitted = await Task.WhenAll(input.ReaderInputs.Select((readerInputs, i) => Task.WhenAll(readerInputs.Select(r => ContextOverflow.TryAsync(async () =>
                (await scorer.ScoreAsync(r, pass.Batch[i], prompt, purpose, cancellationToken).ConfigureAwait(false)).Score))))).ConfigureAwait(false);
            var scores = fitted.Select(f => f.All(x => x.Fits) ? f.Select(x => x.Value).ToArray() : null).ToArray();
            var overflowed = Enumerable.Range(0, scores.Length).Where(i => scores[i] is null).ToHashSet();
            IReadOnlyList<double>[]? candidate = null;
            if (useKl)
            {
                var distributions = await Task.WhenAll(pass.Forward.Select((f, i) => ContextOverflow.TryAsync(async () =>
                    (IReadOnlyList<double>)(await scorer.ScoreAsync(f.LayerInputs[layer], pass.Batch[i], prompt, purpose, cancellationToken).ConfigureAwait(false)).Distribution!.Probabilities))).ConfigureAwait(false);
                overflowed.UnionWith(Enumerable.Range(0, distributions.Length).Where(i => !distributions[i].Fits));
                candidate = distributions.Select(d => d.Value).ToArray();
            }

            lock (detail)
            {
                detail[prompt] = scores;
            }

            // Over a subset the same formulas run on the picked examples, so that a batch without overflow scores as before.
            return new CandidateEvaluation(pass.Batch.Length, overflowed, kept =>
            {
                var score = VariationalObjective.WeightedScore(CandidateEvaluation.Pick(weights, kept), CandidateEvaluation.Rows(scores, kept));
                if (useKl)
                {
                    score -= options.TrustRegionFactor * VariationalObjective.MeanKlDivergence(CandidateEvaluation.Pick(currentDistributions!, kept), CandidateEvaluation.Pick(candidate!, kept));
                }

                return score;
            });
        }

        var shown = pass.Batch.Select((e, i) => new ProposalExample(pass.Forward[i].LayerInputs[layer], pass.Forward[i].Output, e.Target, pass.Correct[i], pass.Feedback[i])).ToArray();
        var selection = await selector.SelectAsync(layer, shown, ScoreAsync, random, cancellationToken).ConfigureAwait(false);
        var selected = detail[selection.Update.SelectedPrompt];
        var remaining = CandidateEvaluation.Remaining(pass.Batch.Length, selection.Dropped);
        return (selection.Update, [.. remaining.Select(i => selected[i]!)], selection.Dropped);
    }
}
