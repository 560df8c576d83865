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
    public async Task<Posterior> SampleAsync(int layer, Example[] batch, DlnResult[] forward, string[] targets, Random random, CancellationToken cancellationToken)
    {
        var writer = network.Layers[layer];
        var k = options.HiddenSamples;
        var readerIsOutput = layer + 1 == network.Depth - 1;

        // Per sample: its generation, the reading layer's likelihood of the target, and its prior.
        var callsPerSample = 1 + (readerIsOutput ? outputScorer.CallsPerScore : 1) + (options.PosteriorIncludesPrior ? 1 : 0);
        using var phase = observer.BeginPhase(TrainingPhase.Posterior, layer, plannedCalls: batch.Length * k * callsPerSample);
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

        var responses = await Task.WhenAll(requests.Select(r => Task.WhenAll(r.Select(q => backwardModel.GenerateAsync(q, cancellationToken))))).ConfigureAwait(false);
        var samples = responses.Select(r => r.Select(x => writer.PostProcess(x.Text)).ToArray()).ToArray();
        var logQ = responses.Select(r => r.Select(x => x.MeanLogProbability ?? 0).ToArray()).ToArray();
        var readerInputs = samples.Select((hs, i) => hs.Select(h => network.GetLayerInput(layer + 1, batch[i].Input, h)).ToArray()).ToArray();

        // Likelihood of the target given each sample, under the reading layer's current prompt.
        var reader = layer + 1;
        var likelihood = await Task.WhenAll(readerInputs.Select((inputs, i) => Task.WhenAll(inputs.Select(async readerInput =>
        {
            var purpose = new CallPurpose(CallRole.Scoring, reader);
            return readerIsOutput
                ? (await outputScorer.ScoreAsync(readerInput, targets[i], network.OutputLayer.Prompt, purpose, cancellationToken).ConfigureAwait(false)).Score
                : (await network.Layers[reader].ScoreContinuationAsync(readerInput, targets[i], null, purpose, cancellationToken).ConfigureAwait(false)).Mean;
        })))).ConfigureAwait(false);

        var prior = options.PosteriorIncludesPrior
            ? await Task.WhenAll(samples.Select((hs, i) => Task.WhenAll(hs.Select(async h =>
                (await writer.ScoreContinuationAsync(forward[i].LayerInputs[layer], h, null, new CallPurpose(CallRole.Scoring, layer), cancellationToken).ConfigureAwait(false)).Mean)))).ConfigureAwait(false)
            : samples.Select(hs => new double[hs.Length]).ToArray();

        return Posterior.Weigh(samples, readerInputs, likelihood, prior, logQ, options);
    }
}
