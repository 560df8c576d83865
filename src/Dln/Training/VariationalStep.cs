namespace DeepLanguageNetworks;

/// <summary>
/// One iteration of variational prompt training: draw a batch, run the network forward, and, unless every answer is
/// already right and the plan skips such a batch, walk the texts of the network from the output layer's input down to
/// the network's input, choosing prompts as it goes.
/// </summary>
/// <remarks>
/// <para>The walk visits each text once, from the one the output layer reads down to the input x. A hidden text
/// h_l gets a posterior (<see cref="PosteriorSampler"/>) whose target is what layer l + 1 should produce (the answer y,
/// or the h* of the text above); the input is observed (one candidate of weight 1). The output layer is chosen on the
/// posterior of the text it reads (<see cref="OutputLayerObjective"/>), which is re-weighed under the chosen prompt;
/// the layer that wrote a hidden text is chosen on it (<see cref="HiddenLayerObjective"/>), and its h* becomes the
/// target of the text below. A one-layer network is the walk of one observed text; it has no depth case of its own.</para>
/// <para>When the step throws, every prompt it changed is put back, so a failed iteration leaves the network as it was.</para>
/// </remarks>
internal sealed class VariationalStep(
    TrainingState state,
    TrainingData data,
    TrainingPlan plan,
    VariationalTrainerOptions options,
    PosteriorSampler sampler,
    OutputLayerObjective outputObjective,
    HiddenLayerObjective hiddenObjective,
    TrainingObserver observer)
{
    private Dln Network => state.Network;

    /// <summary>Runs iteration <paramref name="iteration"/> (1-based) and reports it; its validation is the session's.</summary>
    public async Task<TrainingProgress> RunAsync(int iteration, CancellationToken cancellationToken)
    {
        var step = iteration - 1;
        var random = RandomStreams.For(options.Seed, step, RandomStream.Step);
        var batch = data.DrawBatch(random);
        data.DrawDemonstrations(Network.OutputLayer, random);
        var promptsBefore = Network.Prompts;
        try
        {
            return await UpdateAsync(iteration, await ForwardAsync(step, batch, cancellationToken).ConfigureAwait(false), random, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Layers are updated one after another: an iteration that stops half-way must not leave some changed.
            Network.SetPrompts(promptsBefore);
            throw;
        }
    }

    private async Task<BatchPass> ForwardAsync(int step, Example[] batch, CancellationToken cancellationToken)
    {
        DlnResult[] forward;
        using (observer.BeginPhase(TrainingPhase.Forward, step + 1, plannedCalls: batch.Length * Network.ForwardCalls))
        {
            forward = await Task.WhenAll(batch.Select(e => Network.InvokeAsync(e.Input, null, new CallPurpose(CallRole.Forward), cancellationToken))).ConfigureAwait(false);
        }

        return new BatchPass(step, batch, forward, batch.Select((e, i) => Network.IsCorrect(forward[i], e.Target)).ToArray());
    }

    private async Task<TrainingProgress> UpdateAsync(int iteration, BatchPass pass, Random random, CancellationToken cancellationToken)
    {
        var forward = pass.Forward;
        double? loss = forward.All(f => f.Distribution is not null)
            ? -pass.Batch.Select((e, i) => forward[i].Distribution!.LogProbabilityOf(e.Target)).Average()
            : null;
        var report = new TrainingProgress
        {
            Iteration = iteration,
            TotalIterations = options.Iterations,
            BatchAccuracy = pass.Correct.Count(c => c) / (double)pass.Batch.Length,
            TrainLoss = loss,
            Prompts = Network.Prompts,
            TruncatedHiddenTexts = forward.Sum(f => f.HiddenTruncated.Count(x => x)),
            EmptyHiddenTexts = forward.Sum(f => f.HiddenOutputs.Count(h => h.Length == 0)),
            AnswersOutsideClasses = Network.OutputLayer.OutputSpace.IsClassification ? forward.Count(f => f.PredictedClass is null) : 0,
            BestDevAccuracy = state.BestDevAccuracy,
        };

        if (plan.SkipUpdateWhenBatchCorrect && pass.Correct.All(c => c))
        {
            return report with { Skipped = true, Calls = state.Calls, Tokens = state.Tokens };
        }

        var (updates, entropy) = await WalkAsync(pass, random, cancellationToken).ConfigureAwait(false);
        var elbo = updates.Count > 0 ? updates.Sum(u => u.SelectedScore) : (double?)null;
        return report with { Updates = updates, Elbo = elbo, PosteriorEntropy = entropy, Prompts = Network.Prompts, Calls = state.Calls, Tokens = state.Tokens };
    }

    private async Task<(List<LayerUpdate> Updates, double? Entropy)> WalkAsync(BatchPass pass, Random random, CancellationToken cancellationToken)
    {
        var outputLayer = Network.Depth - 1;
        var updates = new List<LayerUpdate>();
        var entropies = new List<double>();
        var targets = pass.Targets;

        // Text t is what layer t wrote and layer t + 1 reads; text −1 is the network's input.
        for (var text = outputLayer - 1; text >= -1; text--)
        {
            var posterior = text >= 0
                ? await sampler.SampleAsync(text, pass.Batch, pass.Forward, targets, random, cancellationToken).ConfigureAwait(false)
                : Posterior.Observed(pass.Forward.Select(f => f.LayerInputs[0]).ToArray());

            if (text + 1 == outputLayer && plan.Trains(outputLayer))
            {
                var (update, selectedScores) = await outputObjective.UpdateAsync(pass, posterior, random, cancellationToken).ConfigureAwait(false);
                updates.Add(update);
                if (update.SelectedOrigin != CandidateOrigin.Current)
                {
                    // The layer below learns from the posterior of the network it will be part of.
                    posterior = posterior.Reweighted(selectedScores, options);
                }
            }

            if (posterior.IsObserved)
            {
                break;
            }

            entropies.Add(posterior.MeanEntropy);
            if (plan.Trains(text))
            {
                updates.Add(await hiddenObjective.UpdateAsync(pass, text, posterior, random, cancellationToken).ConfigureAwait(false));
            }

            targets = posterior.Best;
        }

        return (updates, entropies.Count > 0 ? entropies.Average() : null);
    }
}
