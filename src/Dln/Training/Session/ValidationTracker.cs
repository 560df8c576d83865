namespace DeepLanguageNetworks;

/// <summary>
/// Measures the current prompts on dev and keeps the score: a new best is remembered (best prompts, their
/// demonstrations, the memory of good prompt sets); after <see cref="VariationalTrainerOptions.Patience"/> validations
/// without improvement the best prompts are restored (backtracking).
/// </summary>
internal sealed class ValidationTracker(TrainingState state, TrainingData data, VariationalTrainerOptions options, TrainingObserver observer)
{
    /// <summary>Validates the prompts chosen by iteration <paramref name="iteration"/> (0: the initial prompts).</summary>
    public async Task<ValidationOutcome> ValidateAsync(int iteration, CancellationToken cancellationToken)
    {
        var network = state.Network;
        var prompts = network.Prompts;
        var cached = state.DevScores.TryGet(prompts, out var dev);
        using var phase = observer.BeginPhase(TrainingPhase.Validation, iteration, plannedCalls: cached ? 0 : data.Dev.Count * network.ForwardCalls);
        if (!cached)
        {
            data.DrawDemonstrations(network.OutputLayer, RandomStreams.For(options.Seed, iteration, RandomStream.Validation));
            var result = await network.EvaluateAsync(data.Dev, prompts, Math.Max(1, data.Dev.Count), cancellationToken).ConfigureAwait(false);
            dev = result.Accuracy;
            state.DevScores.Set(prompts, dev);
        }

        var outcome = Record(iteration, prompts, dev, cached);
        observer.Validated(outcome);
        return outcome;
    }

    /// <summary>Keeps a measured dev accuracy: a new best, or one more validation without improvement (and a backtrack once patience runs out).</summary>
    public ValidationOutcome Record(int iteration, IReadOnlyList<string> prompts, double devAccuracy, bool fromCache)
    {
        if (state.BestDevAccuracy is not { } best || devAccuracy > best)
        {
            state.BestDevAccuracy = devAccuracy;
            state.BestPrompts = prompts;
            state.BestDemonstrations = options.FewShotExamples > 0 ? state.Network.OutputLayer.Demonstrations : null;
            state.ValidationsWithoutImprovement = 0;
            state.Memory.Add(prompts, devAccuracy);
            return new ValidationOutcome(iteration, devAccuracy, devAccuracy, fromCache, Backtracked: false, 0);
        }

        state.ValidationsWithoutImprovement++;
        var spent = state.ValidationsWithoutImprovement;
        var backtrack = options.Patience >= 0 && spent >= options.Patience;
        if (backtrack)
        {
            state.Network.SetPrompts(state.BestPrompts);
            state.ValidationsWithoutImprovement = 0;
        }

        return new ValidationOutcome(iteration, devAccuracy, best, fromCache, backtrack, spent);
    }
}

/// <summary>What one validation measured and decided.</summary>
/// <param name="Iteration">The iteration whose prompts were measured (0: the initial prompts).</param>
/// <param name="DevAccuracy">Their dev accuracy.</param>
/// <param name="BestDevAccuracy">The best dev accuracy after this validation.</param>
/// <param name="FromCache">Whether the accuracy was known already (no call was made).</param>
/// <param name="Backtracked">Whether the best prompts were restored.</param>
/// <param name="ValidationsWithoutImprovement">Validations without improvement, this one included, before any reset.</param>
internal readonly record struct ValidationOutcome(int Iteration, double DevAccuracy, double BestDevAccuracy, bool FromCache, bool Backtracked, int ValidationsWithoutImprovement);
