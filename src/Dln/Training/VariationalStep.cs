namespace DeepLanguageNetworks;

/// <summary>
/// One iteration of variational prompt training: draw a batch, run the network forward, and, unless every answer is
/// already right and the plan skips such a batch, walk the layers from the output layer back to the input, choosing
/// prompts as it goes.
/// </summary>
/// <remarks>
/// <para>The walk visits the layers in reverse topological order, so that a layer comes after every layer that reads it.
/// The output layer is first: the hidden texts it reads get their posteriors (<see cref="PosteriorSampler"/>), with the
/// answer y as their hint and the output layer's likelihood of y as their weight, and its prompt is chosen on them
/// (<see cref="OutputLayerObjective"/>; on the observed input, one candidate of weight 1, when it reads only the input);
/// those posteriors are then re-weighed under the chosen prompt. Each hidden layer follows: its posterior (sampled now,
/// with its readers' targets as the hint, or the one sampled for the output layer) is weighed by the sum of its readers'
/// likelihoods of their targets under their current prompts, its prompt is chosen on it
/// (<see cref="HiddenLayerObjective"/>), and its best sample h* becomes its target for the layers it reads. For a stack
/// this is the walk of one text after another; a one-layer network is the walk of one observed text. There is no depth
/// or shape case of its own.</para>
/// <para>The posteriors the output layer is chosen on are sampled together, and its proposals, which need only the
/// forward pass, run while they are (every random choice is drawn before the first call, so results do not depend on
/// the order calls complete in). Every layer's candidates are scored per example (<see cref="LayerObjective"/>), so
/// they may race on slices of the batch and an example that overflows the context window costs only itself.</para>
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
        var walk = new LayerWalk(pass, Network.Depth);
        var outputLayer = Network.Depth - 1;
        var updates = new List<LayerUpdate>();
        var entropies = new List<double>();
        walk.Targets[outputLayer] = pass.Targets;

        // The output layer first, on the posteriors of the texts it reads: those of the hidden layers it reads, sampled
        // now with the answer as their hint and weighed by the output layer's likelihood of it (the readers they have
        // besides are added when the walk reaches them), or the observed input when it reads only that.
        var parents = Network.SourcesOf(outputLayer);
        var trainsOutput = plan.Trains(outputLayer);
        if (parents.Count > 0)
        {
            // The random choices are drawn in the stream's order (every posterior's samples, then the proposals) before
            // any call; the output layer's proposals need only the forward pass, so they run while the posteriors are
            // sampled and weighed (they may show an example a posterior then leaves out; it is not scored).
            var answer = walk.Targets[outputLayer]!;
            var draws = parents.OrderDescending().Select(parent =>
                sampler.Draw(parent, walk.Pass.Batch, walk.Pass.Forward, answer, [new ReaderTarget(outputLayer, answer)], random)).ToArray();
            var proposals = trainsOutput ? outputObjective.Propose(walk.Pass, random, cancellationToken) : null;
            (Posterior Posterior, int[] Kept)[] sampled;
            try
            {
                sampled = await Task.WhenAll(draws.Select(d => sampler.SampleAsync(d, cancellationToken))).ConfigureAwait(false);
            }
            catch when (proposals is not null)
            {
                await proposals.CancelAndDrainAsync().ConfigureAwait(false);
                proposals.Dispose();
                throw;
            }

            // An example is kept when it fitted every posterior.
            var kept = sampled.Aggregate(Enumerable.Range(0, walk.Pass.Batch.Length), (k, s) => k.Intersect(s.Kept)).Order().ToArray();
            walk.Keep(kept);
            for (var d = 0; d < draws.Length; d++)
            {
                var positions = sampled[d].Kept.Select((example, j) => (example, j)).ToDictionary(x => x.example, x => x.j);
                var posterior = sampled[d].Posterior;
                walk.Posteriors[draws[d].Layer] = positions.Count == kept.Length ? posterior : posterior.Keep([.. kept.Select(i => positions[i])]);
            }

            if (walk.Pass.Batch.Length == 0)
            {
                if (proposals is not null)
                {
                    // Nothing is left to score them on.
                    await proposals.CancelAndDrainAsync().ConfigureAwait(false);
                    proposals.Dispose();
                }

                return (updates, null, walk.Overflows);
            }

            if (proposals is not null)
            {
                await UpdateOutputAsync(walk, [.. parents.Select(p => walk.Posteriors[p]!)], proposals, updates, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (trainsOutput)
        {
            var observed = Posterior.Observed(outputLayer, [.. walk.Pass.Forward.Select(f => f.LayerInputs[outputLayer])]);
            await UpdateOutputAsync(walk, [observed], outputObjective.Propose(walk.Pass, random, cancellationToken), updates, cancellationToken).ConfigureAwait(false);
        }

        // Then every hidden layer, after all the layers that read it (reverse topological order): its posterior weighed
        // by the sum of its readers' likelihoods under their current prompts, its prompt chosen on it, and its best
        // sample the target of the layers it reads.
        for (var layer = outputLayer - 1; layer >= 0 && walk.Pass.Batch.Length > 0; layer--)
        {
            var readers = Network.ReadersOf(layer);
            if (walk.Posteriors[layer] is { } sampled)
            {
                var others = readers.Where(r => r != outputLayer).Select(r => new ReaderTarget(r, walk.Targets[r]!)).ToArray();
                var (posterior, kept) = await sampler.AddReadersAsync(layer, sampled, walk.Pass.Batch, walk.Pass.Forward, others, cancellationToken).ConfigureAwait(false);
                walk.Keep(kept);
                walk.Posteriors[layer] = posterior;
            }
            else
            {
                var hints = Enumerable.Range(0, walk.Pass.Batch.Length).Select(i => PosteriorSampler.Hint([.. readers.Select(r => walk.Targets[r]![i])])).ToArray();
                var (posterior, kept) = await sampler.SampleAsync(
                    layer, walk.Pass.Batch, walk.Pass.Forward, hints, [.. readers.Select(r => new ReaderTarget(r, walk.Targets[r]!))], random, cancellationToken).ConfigureAwait(false);
                walk.Keep(kept);
                walk.Posteriors[layer] = posterior;
            }

            if (walk.Pass.Batch.Length == 0)
            {
                break;
            }

            entropies.Add(walk.Posteriors[layer]!.MeanEntropy);
            if (plan.Trains(layer))
            {
                var selection = await hiddenObjective.UpdateAsync(walk.Pass, layer, walk.Posteriors[layer]!, random, cancellationToken).ConfigureAwait(false);
                updates.Add(selection.Update);
                walk.Drop(selection.Dropped);
                if (walk.Pass.Batch.Length == 0)
                {
                    break;
                }
            }

            walk.Targets[layer] = walk.Posteriors[layer]!.Best;
        }

        return (updates, entropies.Count > 0 ? entropies.Average() : null, walk.Overflows);
    }

    /// <summary>
    /// Chooses the output layer's prompt on <paramref name="inputs"/> (the posteriors of the texts it reads, in the order
    /// of its sources); leaves the examples the scoring left out out of the walk, and re-weighs the hidden posteriors
    /// under the chosen prompt, so that the layers below learn from the posteriors of the network they will be part of.
    /// </summary>
    private async Task UpdateOutputAsync(LayerWalk walk, IReadOnlyList<Posterior> inputs, ProposalRound proposals, List<LayerUpdate> updates, CancellationToken cancellationToken)
    {
        var outputLayer = Network.Depth - 1;
        var (update, selectedScores, dropped) = await outputObjective.UpdateAsync(walk.Pass, inputs, proposals, cancellationToken).ConfigureAwait(false);
        updates.Add(update);
        walk.Drop(dropped);
        if (update.SelectedOrigin != CandidateOrigin.Current)
        {
            var parents = Network.SourcesOf(outputLayer);
            for (var p = 0; p < parents.Count; p++)
            {
                walk.Posteriors[parents[p]] = walk.Posteriors[parents[p]]!.Reweighted(outputLayer, selectedScores[p], options);
            }
        }
    }
}
