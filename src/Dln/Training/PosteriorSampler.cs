namespace DeepLanguageNetworks;

/// <summary>
/// Samples the posterior over one hidden layer's output: K texts per example from the backward model, half of them
/// (<see cref="VariationalTrainerOptions.HintSampleProbability"/>) rendered with a hint that shows the text the next
/// layer should produce, the others from the layer's own template; then weighs them by how likely they make that
/// target under the next layer's current prompt, plus the layer's own likelihood of the text (the prior).
/// </summary>
/// <remarks>
/// <para>Every random choice is drawn first (<see cref="Draw"/>), so the step can start other work before the calls;
/// each sample is scored as soon as it is written, so no call slot waits for the slowest sample.</para>
/// <para>The prompt proposer (<see cref="PromptProposer"/>) is the other user of the backward model.</para>
/// </remarks>
internal sealed class PosteriorSampler(Dln network, ILanguageModel backwardModel, OutputScorer outputScorer, VariationalTrainerOptions options, TrainingObserver observer)
{
    /// <summary>The hint template's heading above the target, after the layer's input.</summary>
    public const string HintHeader = "Expected outcome:";

    /// <summary>The input of a hint sample: the layer's input, then the target the layer's output should lead to.</summary>
    public static string HintInput(string input, string target) => $"{input}\n\n{HintHeader}\n{target}";

    /// <summary>Draws the random choices of the posterior over the output of hidden layer <paramref name="layer"/> (hint or not, sampling seeds), making no call.</summary>
    /// <param name="layer">The hidden layer.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="forward">The batch's forward pass.</param>
    /// <param name="targets">Per example, what the next layer should produce: the answer, or the next hidden layer's h*.</param>
    /// <param name="random">The step's stream.</param>
    public PosteriorDraw Draw(int layer, Example[] batch, DlnResult[] forward, string[] targets, Random random)
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

        return new PosteriorDraw(layer, batch, forward, targets, requests);
    }

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
            [.. kept.Select(i => samples[i].Select(s => s!.ReaderInput).ToArray())],
            [.. kept.Select(i => samples[i].Select(s => s!.Likelihood).ToArray())],
            [.. kept.Select(i => samples[i].Select(s => s!.Prior).ToArray())],
            [.. kept.Select(i => samples[i].Select(s => s!.LogQ).ToArray())],
            options);
        return (posterior, kept);
    }

    /// <summary>
    /// One sample: written by the backward model, then scored by the reading layer (likelihood of the target) and the
    /// writing layer (prior) at once; null when one of its requests, or one of another sample of the same example
    /// before it started, did not fit the context window (<paramref name="overflowed"/>, per example).
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
        var readerInput = network.GetLayerInput(layer + 1, draw.Batch[example].Input, text);

        // Likelihood of the target given the sample, under the reading layer's current prompt.
        var reader = layer + 1;
        var purpose = new CallPurpose(CallRole.Scoring, reader);
        var target = draw.Targets[example];
        var likelihood = ContextOverflow.TryAsync(() => reader == network.Depth - 1
            ? ScoreAsync(outputScorer.ScoreAsync(readerInput, draw.Batch[example] with { Target = target }, network.OutputLayer.Prompt, purpose, cancellationToken))
            : MeanAsync(network.Layers[reader].ScoreContinuationAsync(readerInput, target, null, purpose, cancellationToken)));
        var prior = options.PosteriorIncludesPrior
            ? ContextOverflow.TryAsync(() => MeanAsync(writer.ScoreContinuationAsync(draw.Forward[example].LayerInputs[layer], text, null, new CallPurpose(CallRole.Scoring, layer), cancellationToken)))
            : Task.FromResult(new Fitted<double>(true, 0));
        await Task.WhenAll(likelihood, prior).ConfigureAwait(false);
        if (!likelihood.Result.Fits || !prior.Result.Fits)
        {
            Volatile.Write(ref overflowed[example], true);
            return null;
        }

        return new Sample(text, readerInput, likelihood.Result.Value, prior.Result.Value, response.Value.MeanLogProbability ?? 0);

        static async Task<double> ScoreAsync(Task<(double Score, ClassDistribution? Distribution)> score) => (await score.ConfigureAwait(false)).Score;

        static async Task<double> MeanAsync(Task<ContinuationScore> score) => (await score.ConfigureAwait(false)).Mean;
    }

    private sealed record Sample(string Text, string ReaderInput, double Likelihood, double Prior, double LogQ);
}

/// <summary>The drawn requests of one posterior (see <see cref="PosteriorSampler.Draw"/>).</summary>
/// <param name="Layer">The hidden layer whose output is sampled.</param>
/// <param name="Batch">The batch.</param>
/// <param name="Forward">Its forward pass.</param>
/// <param name="Targets">Per example, what the next layer should produce.</param>
/// <param name="Requests">Per example, the K sampling requests.</param>
internal sealed record PosteriorDraw(int Layer, Example[] Batch, DlnResult[] Forward, string[] Targets, GenerationRequest[][] Requests);
