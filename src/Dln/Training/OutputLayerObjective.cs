namespace DeepLanguageNetworks;

/// <summary>
/// The output layer's term of the ELBO: a candidate prompt π scores (1/B) Σ_i Σ_k w_ik · s(y_i | r_ik, π) over the
/// posterior of a text the output layer reads (the K weighted hidden samples r_ik, or the observed input with weight
/// 1 in a one-layer network), where s is the output score (<see cref="OutputScorer"/>); in a graph whose output node
/// reads several hidden nodes, the mean of that term over their posteriors (each sample in place of its node's text,
/// the other texts at their forward values); minus, with a trust region, λ times the mean KL between the current
/// prompt's class distribution and the candidate's on the forward inputs.
/// </summary>
internal sealed class OutputLayerObjective(Dln network, OutputScorer scorer, PromptSelector selector, VariationalTrainerOptions options)
{
    /// <summary>Chooses the output layer's prompt.</summary>
    /// <param name="pass">The step's batch and forward pass.</param>
    /// <param name="inputs">The posteriors over the texts the output layer reads (the hidden ones, or the observed input).</param>
    /// <param name="random">The step's stream.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>
    /// The update; per posterior, the chosen prompt's score of every remaining example and sample (to re-weigh the
    /// posteriors by); and the examples (by position) whose scoring did not fit the context window, which the layers
    /// below go on without.
    /// </returns>
    public async Task<(LayerUpdate Update, double[][][] SelectedScores, int[] Dropped)> UpdateAsync(BatchPass pass, IReadOnlyList<Posterior> inputs, Random random, CancellationToken cancellationToken)
    {
        var layer = network.Depth - 1;
        var output = network.OutputLayer;
        var purpose = new CallPurpose(CallRole.Scoring, layer);
        var useKl = options.TrustRegionFactor > 0 && output.OutputSpace.IsClassification && scorer.ScoresLogProbabilities;
        var currentDistributions = useKl ? pass.Forward.Select(f => f.Distribution!.Probabilities).ToArray() : null;
        var weights = inputs.Select(p => p.WeightLists).ToArray();
        var readerInputs = inputs.Select(p => p.ReaderInputsOf(layer)).ToArray();
        var detail = new Dictionary<string, double[]?[][]>(StringComparer.Ordinal);

        async Task<CandidateEvaluation> ScoreAsync(string prompt)
        {
            var fitted = await Task.WhenAll(readerInputs.Select(posterior => Task.WhenAll(posterior.Select((samples, i) => Task.WhenAll(samples.Select(r => ContextOverflow.TryAsync(async () =>
                (await scorer.ScoreAsync(r, pass.Batch[i].Target, prompt, purpose, cancellationToken).ConfigureAwait(false)).Score))))))).ConfigureAwait(false);
            var scores = fitted.Select(p => p.Select(f => f.All(x => x.Fits) ? f.Select(x => x.Value).ToArray() : null).ToArray()).ToArray();
            var overflowed = Enumerable.Range(0, pass.Batch.Length).Where(i => scores.Any(p => p[i] is null)).ToHashSet();
            IReadOnlyList<double>[]? candidate = null;
            if (useKl)
            {
                var distributions = await Task.WhenAll(pass.Forward.Select((f, i) => ContextOverflow.TryAsync(async () =>
                    (IReadOnlyList<double>)(await scorer.ScoreAsync(f.LayerInputs[layer], pass.Batch[i].Target, prompt, purpose, cancellationToken).ConfigureAwait(false)).Distribution!.Probabilities))).ConfigureAwait(false);
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
                var score = VariationalObjective.MeanOver(scores.Length, p => VariationalObjective.WeightedScore(CandidateEvaluation.Pick(weights[p], kept), CandidateEvaluation.Rows(scores[p], kept)));
                if (useKl)
                {
                    score -= options.TrustRegionFactor * VariationalObjective.MeanKlDivergence(CandidateEvaluation.Pick(currentDistributions!, kept), CandidateEvaluation.Pick(candidate!, kept));
                }

                return score;
            });
        }

        var shown = pass.Batch.Select((e, i) => new ProposalExample(pass.Forward[i].LayerInputs[layer], pass.Forward[i].Output, e.Target, pass.Correct[i])).ToArray();
        var selection = await selector.SelectAsync(layer, shown, ScoreAsync, random, cancellationToken).ConfigureAwait(false);
        var selected = detail[selection.Update.SelectedPrompt];
        var remaining = CandidateEvaluation.Remaining(pass.Batch.Length, selection.Dropped);
        return (selection.Update, [.. selected.Select(p => remaining.Select(i => p[i]!).ToArray())], selection.Dropped);
    }
}
