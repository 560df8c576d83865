namespace DeepLanguageNetworks;

/// <summary>
/// One training run from start (or resume) to end: the loop around <see cref="VariationalStep"/>. Each iteration is, in
/// this order: check the budget, step, validate when scheduled, publish the finished report, write the checkpoint.
/// A report is published once, complete; the checkpoint written after it is the state to resume from.
/// </summary>
/// <remarks>
/// A session owns what it built for the run (the model pipelines, the run folder's files) and disposes them. The
/// caller's network receives the best prompts when the session ends, also when it ends early.
/// </remarks>
internal sealed class TrainingSession : IDisposable
{
    private readonly TrainingRunInfo _info;
    private readonly VariationalTrainerOptions _options;
    private readonly RunModels _models;
    private readonly RunRecorder? _recorder;
    private readonly TrainingObserver _observer;
    private readonly TrainingState _state;
    private readonly TrainingData _data;
    private readonly ErrorBudget _errorBudget;
    private readonly ValidationTracker _validation;
    private readonly VariationalStep _step;

    public TrainingSession(TrainingRunInfo info, RunModels models, RunRecorder? recorder, TrainingObserver observer, TrainingData data)
    {
        _info = info;
        _options = info.Options;
        _models = models;
        _recorder = recorder;
        _observer = observer;
        _data = data;
        _state = new TrainingState(models.Network, _options.MemorySize, models.Usage);
        _errorBudget = new ErrorBudget(info.Run.MaxFailedIterations, _state, models.Usage, observer);
        _validation = new ValidationTracker(_state, data, _options, models.Metric, observer);

        var network = models.Network;

        // Accuracy scoring asks for no log-probabilities: the run's copy of the output layer answers by generation.
        network.OutputLayer.AnswersByGeneration = info.Plan.Scoring == OutputScoring.Accuracy;
        var proposer = new PromptProposer(models.Backward, _options.BackwardTemperature, _options.BackwardMaxTokens, _options.MaxPromptCharacters, _options.MaxExamplesInMetaPrompt, observer);
        var selector = new PromptSelector(network, proposer, _state.Memory, _options.PromptCandidates, _options.CandidateRacing, observer);
        var scorer = new OutputScorer(network.OutputLayer, info.Plan.Scoring, models.Metric);
        _step = new VariationalStep(
            _state,
            data,
            info.Plan,
            _options,
            new PosteriorSampler(network, models.Backward, scorer, _options, observer),
            new OutputLayerObjective(network, scorer, selector, _options),
            new HiddenLayerObjective(network, selector, _options),
            models.Metric,
            observer);
    }

    public async Task<TrainingResult> RunAsync(CancellationToken cancellationToken)
    {
        using var run = _observer.BeginRun(_info);
        try
        {
            if (_info.ResumedFrom is { } checkpoint)
            {
                _state.Restore(checkpoint, _options, _data);
            }

            await _observer.RunStartingAsync(_info, _state.History, cancellationToken).ConfigureAwait(false);
            string? stopReason;
            try
            {
                stopReason = await LoopAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                HandBestPromptsToCaller();
            }

            var result = new TrainingResult
            {
                BestPrompts = _info.Network.Prompts,
                BestDevAccuracy = _state.BestDevAccuracy ?? 0,
                InitialDevAccuracy = _state.InitialDevAccuracy,
                History = _state.History.ToArray(),
                IterationsCompleted = _state.IterationsCompleted,
                StopReason = stopReason,
                Calls = _state.Calls,
                Tokens = _state.Tokens,
                Usage = _models.Usage.Snapshot(),
                OverlongInputs = _info.OverlongInputs,
                Metric = MetricIdentity.Of(_options.Metric),
            };
            await _observer.RunCompletedAsync(result).ConfigureAwait(false);
            return result;
        }
        catch (Exception ex)
        {
            _observer.RunFailed(ex);
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            _models.Dispose();
        }
        finally
        {
            _recorder?.Dispose();
        }
    }

    /// <summary>Runs the iterations; returns why a budget stopped them early, or null.</summary>
    private async Task<string?> LoopAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_info.ResumedFrom is null && _options.EvaluateBeforeTraining)
        {
            try
            {
                await ValidateInitialPromptsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (BudgetExceededException ex)
            {
                return Stop(ex.Message);
            }
        }

        await SaveCheckpointAsync(cancellationToken).ConfigureAwait(false);
        for (var iteration = _state.IterationsCompleted + 1; iteration <= _options.Iterations; iteration++)
        {
            if (CheckBudget() is { } reason)
            {
                return await StopAndSaveAsync(reason, cancellationToken).ConfigureAwait(false);
            }

            TrainingProgress report;
            try
            {
                report = await StepAsync(iteration, cancellationToken).ConfigureAwait(false);
            }
            catch (BudgetExceededException ex)
            {
                // A hard limit refused a call mid-step: the step put its prompts back. The calls it made are paid
                // for, so the checkpoint is written again with them.
                return await StopAndSaveAsync(ex.Message, cancellationToken).ConfigureAwait(false);
            }

            _state.IterationsCompleted = iteration;
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                report = await ValidateAsync(iteration, report, cancellationToken).ConfigureAwait(false);
            }
            catch (BudgetExceededException ex)
            {
                // A hard limit refused a call of the validation. The checkpoint on disk, written before this iteration,
                // is kept: one written now would skip this validation on resume. The result still shows the step.
                _state.History.Add(report);
                return Stop(ex.Message);
            }

            _state.History.Add(report);
            await _observer.PublishedAsync(report).ConfigureAwait(false);
            await SaveCheckpointAsync(cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task ValidateInitialPromptsAsync(CancellationToken cancellationToken)
    {
        double? dev = null;
        string? error = null;
        var overflows = 0;
        try
        {
            var outcome = await _validation.ValidateAsync(0, cancellationToken).ConfigureAwait(false);
            dev = outcome.DevAccuracy;
            overflows = outcome.ContextOverflows;
        }
        catch (Exception ex) when (ErrorBudget.IsFailure(ex, cancellationToken))
        {
            // Counted like a failed iteration; the prompts stay unmeasured until the next validation.
            error = "Validation failed: " + _errorBudget.Spend(ex, "the validation of the initial prompts");
        }

        _state.InitialDevAccuracy = dev;
        var report = new TrainingProgress
        {
            Iteration = 0,
            TotalIterations = _options.Iterations,
            Prompts = _state.Network.Prompts,
            DevAccuracy = dev,
            DevContextOverflows = overflows,
            BestDevAccuracy = _state.BestDevAccuracy,
            Calls = _state.Calls,
            Tokens = _state.Tokens,
            Error = error,
        };
        _state.History.Add(report);
        await _observer.PublishedAsync(report).ConfigureAwait(false);
    }

    private async Task<TrainingProgress> StepAsync(int iteration, CancellationToken cancellationToken)
    {
        using var phase = _observer.BeginPhase(TrainingPhase.Iteration, iteration);
        try
        {
            var report = await _step.RunAsync(iteration, cancellationToken).ConfigureAwait(false);
            _observer.StepCompleted(report);
            return report;
        }
        catch (Exception ex) when (ContextOverflow.Is(ex))
        {
            // Every call of a step is guarded where it concerns one example; should one escape, it costs this step, and
            // not the error budget: another attempt of the same step would overflow the same way.
            return new TrainingProgress
            {
                Iteration = iteration,
                TotalIterations = _options.Iterations,
                Skipped = true,
                ContextOverflows = 1,
                Prompts = _state.Network.Prompts,
                BestDevAccuracy = _state.BestDevAccuracy,
                Calls = _state.Calls,
                Tokens = _state.Tokens,
            };
        }
        catch (Exception ex) when (ErrorBudget.IsFailure(ex, cancellationToken))
        {
            _observer.StepFailed(ex);
            var error = _errorBudget.Spend(ex, $"iteration {iteration}");
            return new TrainingProgress
            {
                Iteration = iteration,
                TotalIterations = _options.Iterations,
                Skipped = true,
                Prompts = _state.Network.Prompts,
                Error = error,
                BestDevAccuracy = _state.BestDevAccuracy,
                Calls = _state.Calls,
                Tokens = _state.Tokens,
            };
        }
    }

    /// <summary>Completes iteration <paramref name="iteration"/>'s report with its validation, when one is scheduled (every interval and after the last iteration).</summary>
    private async Task<TrainingProgress> ValidateAsync(int iteration, TrainingProgress report, CancellationToken cancellationToken)
    {
        if (iteration % _options.ValidationInterval != 0 && iteration != _options.Iterations)
        {
            return report;
        }

        try
        {
            var outcome = await _validation.ValidateAsync(iteration, cancellationToken).ConfigureAwait(false);
            return report with { DevAccuracy = outcome.DevAccuracy, DevItemsEvaluated = outcome.ItemsEvaluated, BestDevAccuracy = outcome.BestDevAccuracy, Backtracked = outcome.Backtracked, DevContextOverflows = outcome.ContextOverflows };
        }
        catch (Exception ex) when (ErrorBudget.IsFailure(ex, cancellationToken))
        {
            var error = "Validation failed: " + _errorBudget.Spend(ex, $"the validation after iteration {iteration}");
            return report with { Error = report.Error is null ? error : $"{report.Error} {error}" };
        }
    }

    private string? CheckBudget()
    {
        if (_info.Run.Budget is not { } budget)
        {
            return null;
        }

        var reason = budget.Check(_state.Calls, _state.Tokens, _models.Usage.Snapshot().Total.Cost);
        return reason is null ? null : $"Budget reached before iteration {_state.IterationsCompleted + 1}: {reason.TrimEnd('.')}. The best prompts so far are kept.";
    }

    private string Stop(string reason)
    {
        _observer.Stopped(reason);
        return reason;
    }

    private async Task<string> StopAndSaveAsync(string reason, CancellationToken cancellationToken)
    {
        Stop(reason);
        await SaveCheckpointAsync(cancellationToken).ConfigureAwait(false);
        return reason;
    }

    private async Task SaveCheckpointAsync(CancellationToken cancellationToken)
    {
        if (_info.CheckpointPath is { } path)
        {
            await _state.ToCheckpoint(_options).SaveAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    private void HandBestPromptsToCaller()
    {
        var caller = _info.Network;
        caller.SetPrompts(_state.BestDevAccuracy is not null ? _state.BestPrompts : _state.Network.Prompts);
        caller.TrainedMetric = MetricIdentity.Of(_options.Metric);

        // With few-shot training the prompts were chosen together with the demonstrations they were validated with;
        // the network keeps that one set, so that a test evaluation uses the same fixed demonstrations.
        if (_state.BestDemonstrations is not null)
        {
            caller.OutputLayer.Demonstrations = _state.BestDemonstrations;
        }
    }
}
