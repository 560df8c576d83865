namespace DeepLanguageNetworks;

/// <summary>
/// Measures the current prompts on dev by the run's metric and keeps the mean score: a new best is remembered (best prompts, their
/// demonstrations, the memory of good prompt sets); after <see cref="VariationalTrainerOptions.Patience"/> validations
/// without improvement the best prompts are restored (backtracking).
/// </summary>
/// <remarks>
/// With <see cref="VariationalTrainerOptions.StopValidationEarly"/> the dev items are evaluated a chunk at a time,
/// those missed most often so far first, and the validation stops once the prompts cannot beat the best dev score even
/// if every item left scored 1 (a score is at most 1 with any metric, so the bound holds for partial credit too). That is
/// all a validation decides: a new best (strictly higher) becomes the best prompts and enters the memory, which takes
/// no other entry; anything else counts one validation without improvement. So a stopped validation decides exactly
/// what the full one would. Its bound (never its partial accuracy) is kept in <see cref="DevScoreCache"/>.
/// </remarks>
internal sealed class ValidationTracker(TrainingState state, TrainingData data, VariationalTrainerOptions options, IMetric metric, TrainingObserver observer)
{
    /// <summary>Validates the prompts chosen by iteration <paramref name="iteration"/> (0: the initial prompts).</summary>
    public async Task<ValidationOutcome> ValidateAsync(int iteration, CancellationToken cancellationToken)
    {
        var network = state.Network;
        var prompts = network.Prompts;
        DevMeasurement? known = null;
        if (state.DevScores.TryGet(prompts, out var score))
        {
            known = DevMeasurement.Full(score);
        }
        else if (state.DevScores.TryGetBound(prompts, out var bound) && state.BestDevAccuracy is { } best && bound <= best)
        {
            // Measured before and stopped below the best then; the best has not fallen since.
            known = new DevMeasurement(null, 0, Complete: false);
        }

        // A validation that stops early makes fewer requests than planned (all of dev, a judge's gradings included).
        var planned = known is null ? data.Dev.Count * (network.ForwardCalls + MetricScoring.CallsPerScore(metric, network.OutputLayer.OutputSpace)) : 0;
        using var phase = observer.BeginPhase(TrainingPhase.Validation, iteration, planned);
        DevMeasurement measured;
        if (known is { } k)
        {
            measured = k;
        }
        else
        {
            data.DrawDemonstrations(network.OutputLayer, RandomStreams.For(options.Seed, iteration, RandomStream.Validation));
            measured = await MeasureAsync(prompts, cancellationToken).ConfigureAwait(false);
        }

        var outcome = Record(iteration, prompts, measured, fromCache: known is not null) with { ContextOverflows = measured.Overflows };
        observer.Validated(outcome);
        return outcome;
    }

    /// <summary>Keeps a measured dev accuracy: a new best, or one more validation without improvement (and a backtrack once patience runs out).</summary>
    public ValidationOutcome Record(int iteration, IReadOnlyList<string> prompts, double devAccuracy, bool fromCache) =>
        Record(iteration, prompts, DevMeasurement.Full(devAccuracy), fromCache);

    private ValidationOutcome Record(int iteration, IReadOnlyList<string> prompts, DevMeasurement measured, bool fromCache)
    {
        var items = measured.Complete ? (int?)null : measured.Items;
        if (measured.Complete && (state.BestDevAccuracy is not { } best || measured.Accuracy > best))
        {
            var devAccuracy = measured.Accuracy!.Value;
            state.BestDevAccuracy = devAccuracy;
            state.BestPrompts = prompts;
            state.BestDemonstrations = options.FewShotExamples > 0 ? state.Network.OutputLayer.Demonstrations : null;
            state.ValidationsWithoutImprovement = 0;
            state.Memory.Add(prompts, devAccuracy);
            return new ValidationOutcome(iteration, devAccuracy, devAccuracy, fromCache, Backtracked: false, 0, items);
        }

        // A stopped validation is below the best by construction, so there is one.
        best = state.BestDevAccuracy!.Value;
        state.ValidationsWithoutImprovement++;
        var spent = state.ValidationsWithoutImprovement;
        var backtrack = options.Patience >= 0 && spent >= options.Patience;
        if (backtrack)
        {
            state.Network.SetPrompts(state.BestPrompts);
            state.ValidationsWithoutImprovement = 0;
        }

        return new ValidationOutcome(iteration, measured.Accuracy, best, fromCache, backtrack, spent, items);
    }

    private async Task<DevMeasurement> MeasureAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken)
    {
        var network = state.Network;
        var dev = data.Dev;
        if (!options.StopValidationEarly)
        {
            // A dev example that does not fit the context window under these prompts is left out: the mean metric is
            // over the others (EvaluationResult.MeanScore), and the report counts it.
            var result = await network.EvaluateAsync(dev, prompts, OverlongInputPolicy.Skip, "dev", metric, Math.Max(1, dev.Count), cancellationToken).ConfigureAwait(false);
            state.DevScores.Set(prompts, result.MeanScore);
            return DevMeasurement.Full(result.MeanScore, result.Skipped);
        }

        // Items are taken hardest first: those missed most often by earlier validations (ties in dev order). A case
        // that is hard under some prompts is usually hard under others, so prompts that cannot beat the best show it
        // sooner; the bound is exact in any order.
        var misses = state.DevItemMisses ??= new int[dev.Count];
        var order = Enumerable.Range(0, dev.Count).OrderByDescending(i => misses[i]).ThenBy(i => i).ToArray();
        var best = state.BestDevAccuracy;
        double scored = 0;
        int skipped = 0, evaluated = 0, total = dev.Count;
        while (evaluated < total)
        {
            // The mean metric the prompts would reach if every item left scored 1, computed as the full mean is (the
            // scores' sum over the items that fitted), so the comparison with the best is exact. An item left that does
            // not fit leaves the denominator and can only lower the mean from there: with r items left, a sum c and s
            // skipped, (c + a) / (total − s − b) for a sum a ≤ r − b of the others is at most (c + r) / (total − s).
            var left = total - evaluated;
            var reachable = (scored + left) / (total - skipped);
            if (best is { } b && reachable <= b)
            {
                state.DevScores.SetBound(prompts, reachable);
                var run = evaluated - skipped;
                return new DevMeasurement(evaluated > 0 ? (run == 0 ? 0 : scored / run) : null, evaluated, Complete: false, skipped);
            }

            // Before any validation succeeded every score is a new best: all items at once.
            var chunk = order.Skip(evaluated).Take(best is null ? total : options.ValidationChunkSize).ToArray();
            var result = await network.EvaluateAsync(chunk.Select(i => dev[i]), prompts, OverlongInputPolicy.Skip, "dev", metric, chunk.Length, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < chunk.Length; j++)
            {
                // An item that did not fit tells nothing about how hard it is.
                if (result.Results[j] is { IsCorrect: false, Skipped: false })
                {
                    misses[chunk[j]]++;
                }
            }

            scored += result.Results.Where(r => !r.Skipped).Sum(r => r.Score);
            skipped += result.Skipped;
            evaluated += chunk.Length;
        }

        // As EvaluationResult.MeanScore: over the items that fitted, 0 when none did.
        var accuracy = total - skipped == 0 ? 0 : scored / (total - skipped);
        state.DevScores.Set(prompts, accuracy);
        return DevMeasurement.Full(accuracy, skipped);
    }

    /// <summary>
    /// What a validation measured: the accuracy of the items evaluated (null when none), how many, whether that is the
    /// whole dev set, and how many of them did not fit the context window.
    /// </summary>
    private readonly record struct DevMeasurement(double? Accuracy, int Items, bool Complete, int Overflows = 0)
    {
        public static DevMeasurement Full(double accuracy, int overflows = 0) => new(accuracy, 0, Complete: true, overflows);
    }
}

/// <summary>What one validation measured and decided.</summary>
/// <param name="Iteration">The iteration whose prompts were measured (0: the initial prompts).</param>
/// <param name="DevAccuracy">Their dev accuracy; for a validation that stopped early, the accuracy of the items it evaluated (null when it needed none).</param>
/// <param name="BestDevAccuracy">The best dev accuracy after this validation.</param>
/// <param name="FromCache">Whether the accuracy was known already (no call was made).</param>
/// <param name="Backtracked">Whether the best prompts were restored.</param>
/// <param name="ValidationsWithoutImprovement">Validations without improvement, this one included, before any reset.</param>
/// <param name="ItemsEvaluated">For a validation that stopped early, the dev items it evaluated (those that did not fit included); null for a full one.</param>
/// <param name="ContextOverflows">Dev examples left out because they did not fit the context window (of those evaluated).</param>
internal readonly record struct ValidationOutcome(int Iteration, double? DevAccuracy, double BestDevAccuracy, bool FromCache, bool Backtracked, int ValidationsWithoutImprovement, int? ItemsEvaluated = null, int ContextOverflows = 0);
