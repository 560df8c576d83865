namespace DeepLanguageNetworks;

/// <summary>
/// Samples the posterior over one hidden layer's output: K texts per example from the backward model, half of them
/// (<see cref="VariationalTrainerOptions.HintSampleProbability"/>) rendered with a hint that shows the text the next
/// layer should produce, the others from the layer's own template; then weighs them by how likely they make that
/// target under the next layer's current prompt, plus the layer's own likelihood of the text (the prior).
/// </summary>
/// <remarks>The prompt proposer (<see cref="PromptProposer"/>) is the other user of the backward model.</remarks>
internal sealed class PosteriorSampler(Dln network, ILanguageModel backwardModel, OutputScorer outputScorer, VariationalTrainerOptions options, TrainingObserver observer)
{
    /// <summary>The hint template's heading above the target, after the layer's input.</summary>
    public const string HintHeader = "Expected outcome:";

    /// <summary>The input of a hint sample: the layer's input, then the target the layer's output should lead to.</summary>
    public static string HintInput(string input, string target) => $"{input}\n\n{HintHeader}\n{target}";

    /// <summary>Samples and weighs the posterior over the output of hidden layer <paramref name="layer"/>.</summary>
    /// <param name="layer">The hidden layer.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="forward">The batch's forward pass.</param>
    /// <param name="targets">Per example, what the next layer should produce: the answer, or the next hidden layer's h*.</param>
    /// <param name="random">The step's stream (hint choices and sampling seeds, drawn before any call).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>
    /// The posterior of the examples whose requests all fitted the context window, and their positions in the batch: an
    /// example with a sample, a likelihood or a prior that overflowed is left out (no further call is made for it).
    /// </returns>
    public async Task<(Posterior Posterior, int[] Kept)> SampleAsync(int layer, Example[] batch, DlnResult[] forward, string[] targets, Random random, CancellationToken cancellationToken)
    {
        using var phase = observer.BeginPhase(TrainingPhase.Posterior, layer);
        var writer = network.Layers[layer];
        var k = options.HiddenSamples;
        var requests = new GenerationRequest[batch.Length][];
        for (var i = 0; i < batch.Length; i++)
        {
            requests[i] = new GenerationRequest[k];
            var input = forward[i].LayerInputs[layer];
            for (var s = 0; s < k; s++)
            {
                var hint = random.NextDouble() < options.HintSampleProbability;
                var context = hint ? writer.Render(HintInput(input, targets[i])) : writer.Render(input);
                requests[i][s] = new GenerationRequest(context)
                {
                    Temperature = options.BackwardTemperature,
                    MaxTokens = writer.OutputSpace.MaxTokens,
                    StopSequences = writer.Options.StopSequences,
                    Seed = random.NextInt64(),
                    SampleIndex = s,
                    IncludeLogProbabilities = options.PosteriorCorrectsForProposal,
                    Purpose = new CallPurpose(CallRole.Backward, layer),
                };
            }
        }

        var generated = await Task.WhenAll(requests.Select(r => Task.WhenAll(r.Select(q => ContextOverflow.TryAsync(() => backwardModel.GenerateAsync(q, cancellationToken)))))).ConfigureAwait(false);
        var kept = Enumerable.Range(0, batch.Length).Where(i => generated[i].All(g => g.Fits)).ToArray();
        var responses = kept.Select(i => generated[i].Select(g => g.Value).ToArray()).ToArray();
        var samples = responses.Select(r => r.Select(x => writer.PostProcess(x.Text)).ToArray()).ToArray();
        var logQ = responses.Select(r => r.Select(x => x.MeanLogProbability ?? 0).ToArray()).ToArray();
        var readerInputs = samples.Select((hs, j) => hs.Select(h => network.GetLayerInput(layer + 1, batch[kept[j]].Input, h)).ToArray()).ToArray();

        // Likelihood of the target given each sample, under the reading layer's current prompt.
        var reader = layer + 1;
        var readerIsOutput = reader == network.Depth - 1;
        var likelihood = await Task.WhenAll(readerInputs.Select((inputs, j) => Task.WhenAll(inputs.Select(readerInput => ContextOverflow.TryAsync(async () =>
        {
            var purpose = new CallPurpose(CallRole.Scoring, reader);
            return readerIsOutput
                ? (await outputScorer.ScoreAsync(readerInput, batch[kept[j]] with { Target = targets[kept[j]] }, network.OutputLayer.Prompt, purpose, cancellationToken).ConfigureAwait(false)).Score
                : (await network.Layers[reader].ScoreContinuationAsync(readerInput, targets[kept[j]], null, purpose, cancellationToken).ConfigureAwait(false)).Mean;
        }))))).ConfigureAwait(false);

        var prior = options.PosteriorIncludesPrior
            ? await Task.WhenAll(samples.Select((hs, j) => Task.WhenAll(hs.Select(h => ContextOverflow.TryAsync(async () =>
                (await writer.ScoreContinuationAsync(forward[kept[j]].LayerInputs[layer], h, null, new CallPurpose(CallRole.Scoring, layer), cancellationToken).ConfigureAwait(false)).Mean))))).ConfigureAwait(false)
            : samples.Select(hs => hs.Select(_ => new Fitted<double>(true, 0)).ToArray()).ToArray();

        // Of the examples whose samples fitted, those whose scoring fitted too.
        var scored = Enumerable.Range(0, kept.Length).Where(j => likelihood[j].All(x => x.Fits) && prior[j].All(x => x.Fits)).ToArray();
        var posterior = Posterior.Weigh(
            [.. scored.Select(j => samples[j])],
            [.. scored.Select(j => readerInputs[j])],
            [.. scored.Select(j => likelihood[j].Select(x => x.Value).ToArray())],
            [.. scored.Select(j => prior[j].Select(x => x.Value).ToArray())],
            [.. scored.Select(j => logQ[j])],
            options);
        return (posterior, [.. scored.Select(j => kept[j])]);
    }
}
