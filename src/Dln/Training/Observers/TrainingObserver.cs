namespace DeepLanguageNetworks;

/// <summary>
/// Watches a training session: the session calls its observers at fixed points (the run starts, a phase of work
/// begins, a step or a validation completes, a report is published, the run ends), and progress reports, logs,
/// telemetry and the run folder are all observers. The session works the same with none; an observer never changes a
/// result. Every method does nothing unless overridden.
/// </summary>
internal abstract class TrainingObserver
{
    /// <summary>The run begins (before a checkpoint is restored); the scope ends with the run.</summary>
    public virtual IDisposable? BeginRun(TrainingRunInfo run) => null;

    /// <summary>
    /// A phase of work begins; the scope ends with it, and the requests started inside it are its own.
    /// <paramref name="number"/> is the iteration (run, iteration, validation) or the layer (posterior, propose,
    /// score); <paramref name="plannedCalls"/> the requests the phase makes when each fits the context window and none
    /// fails (0 for the iteration, which contains the others; for a score phase the most its candidates could make,
    /// until <see cref="CandidatesKnown"/> says how many there are).
    /// </summary>
    public virtual IDisposable? BeginPhase(TrainingPhase phase, int number, int plannedCalls = 0) => null;

    /// <summary>
    /// The distinct candidates of the layer's update are known (its proposals are in), inside its score phase;
    /// <paramref name="plannedCalls"/> the requests scoring all of them on the whole batch makes (racing makes fewer).
    /// </summary>
    public virtual void CandidatesKnown(int layer, int candidates, int plannedCalls)
    {
    }

    /// <summary>
    /// The phase at work is about to make <paramref name="calls"/> requests more than it planned (a meta-prompt sent
    /// again, shorter, after it overflowed the backward model's context window).
    /// </summary>
    public virtual void CallsAdded(int calls)
    {
    }

    /// <summary>The state is restored (when resuming) and the first step is about to start; <paramref name="history"/> holds the reports so far.</summary>
    public virtual Task RunStartingAsync(TrainingRunInfo run, IReadOnlyList<TrainingProgress> history, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A step finished (updated or skipped), inside its iteration phase, before its validation.</summary>
    public virtual void StepCompleted(TrainingProgress report)
    {
    }

    /// <summary>A step failed with a failure the error budget counts, inside its iteration phase, before the failure is counted.</summary>
    public virtual void StepFailed(Exception error)
    {
    }

    /// <summary>A failed step or validation was counted against the error budget.</summary>
    public virtual void FailureCounted(string step, int failures, int allowed, string error)
    {
    }

    /// <summary>A validation finished, inside its validation phase.</summary>
    public virtual void Validated(ValidationOutcome outcome)
    {
    }

    /// <summary>A finished report (its step and its validation) is published.</summary>
    public virtual Task PublishedAsync(TrainingProgress report) => Task.CompletedTask;

    /// <summary>A budget stopped the run before its last iteration.</summary>
    public virtual void Stopped(string reason)
    {
    }

    /// <summary>The run ended and the caller's network holds the best prompts.</summary>
    public virtual Task RunCompletedAsync(TrainingResult result) => Task.CompletedTask;

    /// <summary>The run ends with an exception (cancellation, an exhausted error budget, a permanent backend error, a bug).</summary>
    public virtual void RunFailed(Exception error)
    {
    }
}
