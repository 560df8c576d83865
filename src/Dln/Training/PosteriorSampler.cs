namespace DeepLanguageNetworks;

/// <summary>
/// Samples the posterior over one hidden node's output: K texts per example from the backward model, half of them
/// (<see cref="VariationalTrainerOptions.HintSampleProbability"/>) rendered with a hint that shows what the nodes
/// reading it should produce, the others from the layer's own template; then weighs them by how likely they make those
/// targets, summed over the readers (each reader's input rendered with the sample in place and its other inputs at their
/// forward values, under the reader's current prompt), plus the layer's own likelihood of the text (the prior).
/// </summary>
/// <remarks>
/// <para>Every random choice is drawn first (<see cref="Draw"/>), so the step can start other work before the calls;
/// each sample is scored by every reader and by its writer as soon as it is written, so no call slot waits for the
/// slowest sample.</para>
/// <para>The prompt proposer (<see cref="PromptProposer"/>) is the other user of the backward model.</para>
/// </remarks>
internal sealed class PosteriorSampler(Dln network, ILanguageModel backwardModel, OutputScorer outputScorer, VariationalTrainerOptions options, TrainingObserver observer)
{
    /// <summary>The hint template's heading above the target, after the layer's input.</summary>
    public const string HintHeader = "Expected outcome:";

    /// <summary>The input of a hint sample: the layer's input, then the target the layer's output should lead to.</summary>
    public static string HintInput(string input, string target) => $"{input}\n\n{HintHeader}\n{target}";

    /// <summary>What the readers of a text should produce, one line per reader in layer order (one reader: its target itself).</summary>
    public static string Hint(IReadOnlyList<string> readerTargets) => readerTargets.Count == 1 ? readerTargets[0] : string.Join("\n", readerTargets);

    /// <summary>
    /// Draws the random choices of the posterior over the output of hidden layer <paramref name="layer"/> (hint or not,
    /// sampling seeds), making no call.
    /// </summary>
    /// <param name="layer">The hidden layer.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="forward">The batch's forward pass.</param>
    /// <param name="hints">Per example, the text the hint samples show (what the readers should produce).</param>
    /// <param name="readers">The readers whose likelihoods weigh the samples, each with its target per example.</param>
    /// <param name="random">The step's stream.</param>
    public PosteriorDraw Draw(int layer, Example[] batch, DlnResult[] forward, string[] hints, IReadOnlyList<ReaderTarget> readers, Random random)
    {
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

        return new PosteriorDraw(layer, batch, forward, readers, requests);
    }

    /// <summary>Samples and weighs the posterior over the output of hidden layer <paramref name="layer"/> (<see cref="Draw"/>, then the calls).</summary>
    /// <returns>See <see cref="SampleAsync(PosteriorDraw, CancellationToken)"/>.</returns>
    public Task<(Posterior Posterior, int[] Kept)> SampleAsync(int layer, Example[] batch, DlnResult[] forward, string[] hints, IReadOnlyList<ReaderTarget> readers, Random random, CancellationToken cancellationToken) =>
        SampleAsync(Draw(layer, batch, forward, hints, readers, random), cancellationToken);

    /// <summary>Samples and weighs the posterior drawn by <see cref="Draw"/>.</summary>
    /// <param name="draw">The drawn requests.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>
    /// The posterior of the examples whose requests all fitted the context window, and their positions in the batch: an
    /// example with a sample, a likelihood or a prior that overflowed is left out (no further call is started for it).
    /// </returns>
    public async Task<(Posterior Posterior, int[] Kept)> SampleAsync(PosteriorDraw draw, CancellationToken cancellationToken)
    {
        // Per sample: its generation, the reading layer's likelihood of the target, and its prior.
        var readerIsOutput = draw.Layer + 1 == network.Depth - 1;
        var callsPerSample = 1 + (readerIsOutput ? outputScorer.CallsPerScore : 1) + (options.PosteriorIncludesPrior ? 1 : 0);
        using var phase = observer.BeginPhase(TrainingPhase.Posterior, draw.Layer, draw.Requests.Sum(r => r.Length) * callsPerSample);
        var overflowed = new bool[draw.Requests.Length];
        var samples = await Task.WhenAll(draw.Requests.Select((requests, i) => Task.WhenAll(requests.Select(r => SampleAsync(draw, i, r, overflowed, cancellationToken))))).ConfigureAwait(false);
        var kept = Enumerable.Range(0, samples.Length).Where(i => samples[i].All(s => s is not null)).ToArray();
        var posterior = Posterior.Weigh(
            [.. kept.Select(i => samples[i].Select(s => s!.Text).ToArray())],
            [.. draw.Readers.Select(r => r.Reader)],
            [.. draw.Readers.Select((_, r) => kept.Select(i => samples[i].Select(s => s!.ReaderInputs[r]).ToArray()).ToArray())],
            [.. draw.Readers.Select((_, r) => kept.Select(i => samples[i].Select(s => s!.Likelihoods[r]).ToArray()).ToArray())],
            [.. kept.Select(i => samples[i].Select(s => s!.Prior).ToArray())],
            [.. kept.Select(i => samples[i].Select(s => s!.LogQ).ToArray())],
            options);
        return (posterior, kept);
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
        var overflowed = new bool[batch.Length];
        var scored = await Task.WhenAll(posterior.Samples.Select((hs, i) => Task.WhenAll(hs.Select(h =>
            ScoreReadersAsync(layer, h, batch[i], forward[i], i, readers, overflowed, cancellationToken))))).ConfigureAwait(false);
        var kept = all.Where(i => scored[i].All(s => s is not null)).ToArray();
        return (posterior.Keep(kept).WithReaders(
            [.. readers.Select(r => r.Reader)],
            [.. readers.Select((_, r) => kept.Select(i => scored[i].Select(s => s!.Value.Inputs[r]).ToArray()).ToArray())],
            [.. readers.Select((_, r) => kept.Select(i => scored[i].Select(s => s!.Value.Likelihoods[r]).ToArray()).ToArray())],
            options), kept);
    }

    /// <summary>
    /// One sample: written by the backward model, then scored by every reader (likelihood of its target) and the writing
    /// layer (prior) at once; null when one of its requests, or one of another sample of the same example before it
    /// started, did not fit the context window (<paramref name="overflowed"/>, per example).
    /// </summary>
    private async Task<Sample?> SampleAsync(PosteriorDraw draw, int example, GenerationRequest request, bool[] overflowed, CancellationToken cancellationToken)
    {
        var layer = draw.Layer;
        var writer = network.Layers[layer];
        var response = await ContextOverflow.TryAsync(() => backwardModel.GenerateAsync(request, cancellationToken)).ConfigureAwait(false);
        if (!response.Fits || Volatile.Read(ref overflowed[example]))
        {
            Volatile.Write(ref overflowed[example], true);
            return null;
        }

        var text = writer.PostProcess(response.Value.Text);
        var forward = draw.Forward[example];
        var likelihood = ScoreReadersAsync(layer, text, draw.Batch[example], forward, example, draw.Readers, overflowed, cancellationToken);
        var prior = options.PosteriorIncludesPrior
            ? ContextOverflow.TryAsync(() => MeanAsync(writer.ScoreContinuationAsync(forward.LayerInputs[layer], text, null, new CallPurpose(CallRole.Scoring, layer), cancellationToken)))
            : Task.FromResult(new Fitted<double>(true, 0));
        await Task.WhenAll(likelihood, prior).ConfigureAwait(false);
        if (likelihood.Result is not { } readers || !prior.Result.Fits)
        {
            Volatile.Write(ref overflowed[example], true);
            return null;
        }

        return new Sample(text, readers.Inputs, readers.Likelihoods, prior.Result.Value, response.Value.MeanLogProbability ?? 0);
    }

    /// <summary>
    /// Per reader: its input with <paramref name="sample"/> in place of layer <paramref name="layer"/>'s output (its other
    /// inputs at their forward values), and its likelihood of its target from that input under its current prompt (the
    /// output layer's score of <paramref name="item"/> with the reader's target, or a hidden layer's mean log-likelihood
    /// of the text). Null when a score did not fit the
    /// context window (the example is then marked in <paramref name="overflowed"/>).
    /// </summary>
    private async Task<(string[] Inputs, double[] Likelihoods)?> ScoreReadersAsync(
        int layer, string sample, Example item, DlnResult forward, int example, IReadOnlyList<ReaderTarget> readers, bool[] overflowed, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref overflowed[example]))
        {
            // Another sample of the example did not fit: the example is left out, so its scores are not needed.
            return null;
        }

        var outputs = ForwardOutputs(forward);
        outputs[layer] = sample;
        var inputs = readers.Select(r => network.RenderInput(r.Reader, item.Input, outputs)).ToArray();
        var likelihoods = await Task.WhenAll(readers.Select((r, ri) => ContextOverflow.TryAsync(() =>
        {
            var purpose = new CallPurpose(CallRole.Scoring, r.Reader);
            var target = r.Targets[example];
            return r.Reader == network.Depth - 1
                ? ScoreAsync(outputScorer.ScoreAsync(inputs[ri], item with { Target = target }, network.OutputLayer.Prompt, purpose, cancellationToken))
                : MeanAsync(network.Layers[r.Reader].ScoreContinuationAsync(inputs[ri], target, null, purpose, cancellationToken));
        }))).ConfigureAwait(false);
        if (likelihoods.Any(l => !l.Fits))
        {
            Volatile.Write(ref overflowed[example], true);
            return null;
        }

        return (inputs, [.. likelihoods.Select(l => l.Value)]);
    }

    private static async Task<double> ScoreAsync(Task<(double Score, ClassDistribution? Distribution)> score) => (await score.ConfigureAwait(false)).Score;

    private static async Task<double> MeanAsync(Task<ContinuationScore> score) => (await score.ConfigureAwait(false)).Mean;

    /// <summary>Every layer's forward output by layer index (the hidden texts, then the answer).</summary>
    private static string?[] ForwardOutputs(DlnResult forward) => [.. forward.HiddenOutputs, forward.Output];

    private sealed record Sample(string Text, string[] ReaderInputs, double[] Likelihoods, double Prior, double LogQ);
}

/// <summary>The drawn requests of one posterior (see <see cref="PosteriorSampler.Draw"/>).</summary>
/// <param name="Layer">The hidden layer whose output is sampled.</param>
/// <param name="Batch">The batch.</param>
/// <param name="Forward">Its forward pass.</param>
/// <param name="Readers">The readers whose likelihoods weigh the samples, each with its target per example.</param>
/// <param name="Requests">Per example, the K sampling requests.</param>
internal sealed record PosteriorDraw(int Layer, Example[] Batch, DlnResult[] Forward, IReadOnlyList<ReaderTarget> Readers, GenerationRequest[][] Requests);

/// <summary>A reader of a hidden text and what it should produce, per example of the batch.</summary>
/// <param name="Reader">The reading layer.</param>
/// <param name="Targets">Per example, the reader's target (the answer for the output layer, its best sample h* for a hidden one).</param>
internal sealed record ReaderTarget(int Reader, string[] Targets);
