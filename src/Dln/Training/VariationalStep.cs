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
    IMetric metric,
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

    private async Task<(BatchPass Pass, int Dropped)> ForwardAsync(int step, Example[] batch, CancellationToken cancellationToken)
    {
        // A judge's gradings belong to the phase: its requests are planned and counted with the answers'.
        int[] kept;
        Example[] examples;
        DlnResult[] results;
        MetricScore[] scores;
        using (observer.BeginPhase(TrainingPhase.Forward, step + 1, batch.Length * (Network.ForwardCalls + MetricScoring.CallsPerScore(metric, Network.OutputLayer.OutputSpace))))
        {
            var forward = await Task.WhenAll(batch.Select(e => ContextOverflow.TryAsync(() => Network.InvokeAsync(e.Input, null, new CallPurpose(CallRole.Forward), cancellationToken)))).ConfigureAwait(false);

            // An example whose forward pass does not fit the context window is left out of this step.
            kept = [.. Enumerable.Range(0, batch.Length).Where(i => forward[i].Fits)];
            examples = [.. kept.Select(i => batch[i])];
            results = [.. kept.Select(i => forward[i].Value)];

            // The metric splits the batch into successes and errors (and a judge grades them all at once).
            scores = await Task.WhenAll(examples.Select((e, i) => Network.ScoreAsync(metric, e, results[i], cancellationToken).AsTask())).ConfigureAwait(false);
        }

        var pass = new BatchPass(step, examples, results, [.. scores.Select(s => s.Score >= options.SuccessScore)])
        {
            Scores = [.. scores.Select(s => s.Score)],
            Feedback = [.. scores.Select(s => s.Feedback)],
        };
        return (pass, batch.Length - kept.Length);
    }

    private async Task<TrainingProgress> UpdateAsync(int iteration, (BatchPass Pass, int Dropped) forwardPass, Random random, CancellationToken cancellationToken)
    {
        var (pass, dropped) = forwardPass;
        var forward = pass.Forward;
        if (pass.Batch.Length == 0)
        {
            // Not one example of the batch fits: nothing to learn from in this step.
            return new TrainingProgress
            {
                Iteration = iteration,
                TotalIterations = options.Iterations,
                Skipped = true,
                ContextOverflows = dropped,
                Prompts = Network.Prompts,
                BestDevAccuracy = state.BestDevAccuracy,
                Calls = state.Calls,
                Tokens = state.Tokens,
            };
        }

        double? loss = forward.All(f => f.Distribution is not null)
            ? -pass.Batch.Select((e, i) => forward[i].Distribution!.LogProbabilityOf(e.Target)).Average()
            : null;
        var report = new TrainingProgress
        {
            Iteration = iteration,
            TotalIterations = options.Iterations,
            BatchAccuracy = pass.Scores.Sum() / pass.Batch.Length,
            TrainLoss = loss,
            Prompts = Network.Prompts,
            TruncatedHiddenTexts = forward.Sum(f => f.HiddenTruncated.Count(x => x)),
            EmptyHiddenTexts = forward.Sum(f => f.HiddenOutputs.Count(h => h.Length == 0)),
            AnswersOutsideClasses = Network.OutputLayer.OutputSpace.IsClassification ? forward.Count(f => f.PredictedClass is null) : 0,
            BestDevAccuracy = state.BestDevAccuracy,
            ContextOverflows = dropped,
        };

        if (plan.SkipUpdateWhenBatchCorrect && pass.Correct.All(c => c))
        {
            return report with { Skipped = true, Calls = state.Calls, Tokens = state.Tokens };
        }

        var (updates, entropy, overflows) = await WalkAsync(pass, random, cancellationToken).ConfigureAwait(false);
        var elbo = updates.Count > 0 ? updates.Sum(u => u.SelectedScore) : (double?)null;
        return report with
        {
            Updates = updates,
            Elbo = elbo,
            PosteriorEntropy = entropy,
            Prompts = Network.Prompts,
            Calls = state.Calls,
            Tokens = state.Tokens,
            ContextOverflows = dropped + overflows,
        };
    }

    private async Task<(List<LayerUpdate> Updates, double? Entropy, int ContextOverflows)> WalkAsync(BatchPass pass, Random random, CancellationToken cancellationToken)
    {
        var outputLayer = Network.Depth - 1;
        var updates = new List<LayerUpdate>();
        var entropies = new List<double>();
        var targets = pass.Targets;
        var overflows = 0;

        // Text t is what layer t wrote and layer t + 1 reads; text −1 is the network's input. An example whose request
        // overflows the context window on the way is left out of the rest of the walk (the pass, the posterior and the
        // targets shrink together, keeping their order).
        for (var text = outputLayer - 1; text >= -1; text--)
        {
            var updatesOutput = text + 1 == outputLayer && plan.Trains(outputLayer);
            Posterior posterior;
            if (text >= 0)
            {
                // The random choices are drawn in the stream's order (posterior samples, then proposals) before any
                // call; the output layer's proposals need only the forward pass, so they run while the posterior is
                // sampled and weighed (they may show an example the posterior then leaves out; it is not scored).
                var draw = sampler.Draw(text, pass.Batch, pass.Forward, targets, random);
                var proposals = updatesOutput ? outputObjective.Propose(pass, random, cancellationToken) : null;
                int[] kept;
                try
                {
                    (posterior, kept) = await sampler.SampleAsync(draw, cancellationToken).ConfigureAwait(false);
                }
                catch when (proposals is not null)
                {
                    await proposals.CancelAndDrainAsync().ConfigureAwait(false);
                    proposals.Dispose();
                    throw;
                }

                if (kept.Length < pass.Batch.Length)
                {
                    overflows += pass.Batch.Length - kept.Length;
                    pass = pass.Keep(kept);
                    targets = [.. kept.Select(i => targets[i])];
                }

                if (pass.Batch.Length == 0)
                {
                    if (proposals is not null)
                    {
                        // Nothing is left to score them on.
                        await proposals.CancelAndDrainAsync().ConfigureAwait(false);
                        proposals.Dispose();
                    }

                    break;
                }

                if (proposals is not null)
                {
                    (pass, posterior, var dropped) = await UpdateOutputAsync(pass, posterior, proposals, updates, cancellationToken).ConfigureAwait(false);
                    overflows += dropped;
                }
            }
            else
            {
                posterior = Posterior.Observed(pass.Forward.Select(f => f.LayerInputs[0]).ToArray());
                if (updatesOutput)
                {
                    (pass, posterior, var dropped) = await UpdateOutputAsync(pass, posterior, outputObjective.Propose(pass, random, cancellationToken), updates, cancellationToken).ConfigureAwait(false);
                    overflows += dropped;
                }
            }

            if (posterior.IsObserved || pass.Batch.Length == 0)
            {
                break;
            }

            entropies.Add(posterior.MeanEntropy);
            if (plan.Trains(text))
            {
                var selection = await hiddenObjective.UpdateAsync(pass, text, posterior, random, cancellationToken).ConfigureAwait(false);
                updates.Add(selection.Update);
                (pass, posterior) = Without(pass, posterior, selection.Dropped, ref overflows);
                if (pass.Batch.Length == 0)
                {
                    break;
                }
            }

            targets = posterior.Best;
        }

        return (updates, entropies.Count > 0 ? entropies.Average() : null, overflows);
    }

    private static (BatchPass Pass, Posterior Posterior) Without(BatchPass pass, Posterior posterior, int[] dropped, ref int overflows)
    {
        if (dropped.Length == 0)
        {
            return (pass, posterior);
        }

        overflows += dropped.Length;
        var kept = CandidateEvaluation.Remaining(pass.Batch.Length, dropped);
        return (pass.Keep(kept), posterior.Keep(kept));
    }

    /// <summary>
    /// Chooses the output layer's prompt on <paramref name="posterior"/>; returns the pass and the posterior the layer
    /// below learns from (without the examples the scoring left out), and how many were left out.
    /// </summary>
    private async Task<(BatchPass Pass, Posterior Posterior, int Dropped)> UpdateOutputAsync(BatchPass pass, Posterior posterior, ProposalRound proposals, List<LayerUpdate> updates, CancellationToken cancellationToken)
    {
        var (update, selectedScores, dropped) = await outputObjective.UpdateAsync(pass, posterior, proposals, cancellationToken).ConfigureAwait(false);
        updates.Add(update);
        var overflows = 0;
        (pass, posterior) = Without(pass, posterior, dropped, ref overflows);

        // The layer below learns from the posterior of the network it will be part of.
        return (pass, update.SelectedOrigin != CandidateOrigin.Current ? posterior.Reweighted(selectedScores, options) : posterior, overflows);
    }
}
