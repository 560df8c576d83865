namespace DeepLanguageNetworks;

/// <summary>
/// Samples the posterior over one hidden node's output: K texts per example from the backward model, half of them
/// (<see cref="VariationalTrainerOptions.HintSampleProbability"/>) rendered with a hint that shows what the nodes
/// reading it should produce, the others from the layer's own template; then weighs them by how likely they make those
/// targets, summed over the readers (each reader's input rendered with the sample in place and its other inputs at their
/// forward values, under the reader's current prompt), plus the layer's own likelihood of the text (the prior).
/// </summary>
/// <remarks>The prompt proposer (<see cref="PromptProposer"/>) is the other user of the backward model.</remarks>
internal sealed class PosteriorSampler(Dln network, ILanguageModel backwardModel, OutputScorer outputScorer, VariationalTrainerOptions options, TrainingObserver observer)
{
    /// <summary>The hint template's heading above the target, after the layer's input.</summary>
    public const string HintHeader = "Expected outcome:";

    /// <summary>The input of a hint sample: the layer's input, then the target the layer's output should lead to.</summary>
    public static string HintInput(string input, string target) => $"{input}\n\n{HintHeader}\n{target}";

    /// <summary>What the readers of a text should produce, one line per reader in layer order (one reader: its target itself).</summary>
    public static string Hint(IReadOnlyList<string> readerTargets) => readerTargets.Count == 1 ? readerTargets[0] : string.Join("\n", readerTargets);

    /// <summary>Samples and weighs the posterior over the output of hidden layer <paramref name="layer"/>.</summary>
    /// <param name="layer">The hidden layer.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="forward">The batch's forward pass.</param>
    /// <param name="hints">Per example, the text the hint samples show (what the readers should produce).</param>
    /// <param name="readers">The readers whose likelihoods weigh the samples, each with its target per example.</param>
    /// <param name="random">The step's stream (hint choices and sampling seeds, drawn before any call).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>
    /// The posterior of the examples whose requests all fitted the context window, and their positions in the batch: an
    /// example with a sample, a likelihood or a prior that overflowed is left out (no further call is made for it).
    /// </returns>
    public async Task<(Posterior Posterior, int[] Kept)> SampleAsync(int layer, Example[] batch, DlnResult[] forward, string[] hints, IReadOnlyList<ReaderTarget> readers, Random random, CancellationToken cancellationToken)
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
                var context = hint ? writer.Render(HintInput(input, hints[i])) : writer.Render(input);
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

        var (readerInputs, likelihood) = await ScoreReadersAsync(layer, samples, kept, batch, forward, readers, cancellationToken).ConfigureAwait(false);
        var prior = options.PosteriorIncludesPrior
            ? await Task.WhenAll(samples.Select((hs, j) => Task.WhenAll(hs.Select(h => ContextOverflow.TryAsync(async () =>
                (await writer.ScoreContinuationAsync(forward[kept[j]].LayerInputs[layer], h, null, new CallPurpose(CallRole.Scoring, layer), cancellationToken).ConfigureAwait(false)).Mean))))).ConfigureAwait(false)
            : samples.Select(hs => hs.Select(_ => new Fitted<double>(true, 0)).ToArray()).ToArray();

        // Of the examples whose samples fitted, those whose scoring fitted too.
        var scored = Enumerable.Range(0, kept.Length).Where(j => likelihood.All(r => r[j].All(x => x.Fits)) && prior[j].All(x => x.Fits)).ToArray();
        var posterior = Posterior.Weigh(
            [.. scored.Select(j => samples[j])],
            [.. readers.Select(r => r.Reader)],
            [.. readerInputs.Select(r => scored.Select(j => r[j]).ToArray())],
            [.. likelihood.Select(r => scored.Select(j => r[j].Select(x => x.Value).ToArray()).ToArray())],
            [.. scored.Select(j => prior[j].Select(x => x.Value).ToArray())],
            [.. scored.Select(j => logQ[j])],
            options);
        return (posterior, [.. scored.Select(j => kept[j])]);
    }

    /// <summary>
    /// Weighs <paramref name="posterior"/> again with the likelihoods of more readers added (the readers of a text that
    /// were not known when it was sampled).
    /// </summary>
    /// <returns>The posterior of the examples whose scoring fitted, and their positions in <paramref name="batch"/>.</returns>
    public async Task<(Posterior Posterior, int[] Kept)> AddReadersAsync(int layer, Posterior posterior, Example[] batch, DlnResult[] forward, IReadOnlyList<ReaderTarget> readers, CancellationToken cancellationToken)
    {
        var all = Enumerable.Range(0, batch.Length).ToArray();
        if (readers.Count == 0)
        {
            return (posterior, all);
        }

        using var phase = observer.BeginPhase(TrainingPhase.Posterior, layer);
        var (readerInputs, likelihood) = await ScoreReadersAsync(layer, posterior.Samples, all, batch, forward, readers, cancellationToken).ConfigureAwait(false);
        var scored = all.Where(j => likelihood.All(r => r[j].All(x => x.Fits))).ToArray();
        var kept = posterior.Keep(scored);
        return (kept.WithReaders(
            [.. readers.Select(r => r.Reader)],
            [.. readerInputs.Select(r => scored.Select(j => r[j]).ToArray())],
            [.. likelihood.Select(r => scored.Select(j => r[j].Select(x => x.Value).ToArray()).ToArray())],
            options), scored);
    }

    /// <summary>
    /// Per reader, example and sample: the reader's input with the sample in place of layer <paramref name="layer"/>'s
    /// output (the reader's other inputs at their forward values), and the reader's likelihood of its target from it
    /// under its current prompt (the output layer's score, or a hidden layer's mean log-likelihood of the text).
    /// </summary>
    private async Task<(string[][][] Inputs, Fitted<double>[][][] Likelihood)> ScoreReadersAsync(
        int layer, string[][] samples, int[] examples, Example[] batch, DlnResult[] forward, IReadOnlyList<ReaderTarget> readers, CancellationToken cancellationToken)
    {
        var inputs = readers.Select(r => samples.Select((hs, j) => hs.Select(h =>
        {
            var outputs = ForwardOutputs(forward[examples[j]]);
            outputs[layer] = h;
            return network.RenderInput(r.Reader, batch[examples[j]].Input, outputs);
        }).ToArray()).ToArray()).ToArray();

        var likelihood = await Task.WhenAll(readers.Select((r, ri) => Task.WhenAll(inputs[ri].Select((readerInputs, j) => Task.WhenAll(readerInputs.Select(readerInput => ContextOverflow.TryAsync(async () =>
        {
            var purpose = new CallPurpose(CallRole.Scoring, r.Reader);
            var target = r.Targets[examples[j]];
            return r.Reader == network.Depth - 1
                ? (await outputScorer.ScoreAsync(readerInput, target, network.OutputLayer.Prompt, purpose, cancellationToken).ConfigureAwait(false)).Score
                : (await network.Layers[r.Reader].ScoreContinuationAsync(readerInput, target, null, purpose, cancellationToken).ConfigureAwait(false)).Mean;
        }))))))).ConfigureAwait(false);
        return (inputs, likelihood);
    }

    /// <summary>Every layer's forward output by layer index (the hidden texts, then the answer).</summary>
    private static string?[] ForwardOutputs(DlnResult forward) => [.. forward.HiddenOutputs, forward.Output];
}

/// <summary>A reader of a hidden text and what it should produce, per example of the batch.</summary>
/// <param name="Reader">The reading layer.</param>
/// <param name="Targets">Per example, the reader's target (the answer for the output layer, its best sample h* for a hidden one).</param>
internal sealed record ReaderTarget(int Reader, string[] Targets);
