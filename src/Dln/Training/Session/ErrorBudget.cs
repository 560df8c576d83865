namespace DeepLanguageNetworks;

/// <summary>
/// The run's tolerance for failed steps (<see cref="TrainingRunOptions.MaxFailedIterations"/>): which exceptions are
/// failures a run survives, and what one costs.
/// </summary>
internal sealed class ErrorBudget(int allowed, TrainingState state, UsageTracker usage, TrainingObserver observer)
{
    /// <summary>
    /// Whether <paramref name="error"/> is a failed call, which costs one unit of the budget. Cancellation counts only
    /// when the caller asked for it: a backend timeout also surfaces as an <see cref="OperationCanceledException"/>
    /// (HttpClient throws <see cref="TaskCanceledException"/>) and must not end the run. Capability and argument errors
    /// are bugs, not failures; a budget refusal stops the run cleanly; and a backend error that says it will repeat
    /// (a rejected key, an unknown model) ends the run at once.
    /// </summary>
    public static bool IsFailure(Exception error, CancellationToken cancellationToken) =>
        !(error is OperationCanceledException && cancellationToken.IsCancellationRequested) &&
        error is not NotSupportedException && error is not ArgumentException && error is not BudgetExceededException &&
        error is not LanguageModelException { IsPermanent: true };

    /// <summary>
    /// Counts a failed iteration or validation and describes the error; throws <see cref="TrainingFailedException"/>
    /// once the budget is spent. The checkpoint on disk is the one written before the failure, the last good state.
    /// </summary>
    /// <param name="error">The failure.</param>
    /// <param name="where">The step, for the messages ("iteration 3").</param>
    /// <returns>The error's description for the report.</returns>
    public string Spend(Exception error, string where)
    {
        state.Failures++;
        var description = $"{error.GetType().Name}: {error.Message}";
        observer.FailureCounted(where, state.Failures, allowed, description);
        if (state.Failures > allowed)
        {
            throw new TrainingFailedException(
                $"Training stopped: {state.Failures} failures (iterations or validations whose backend calls failed after retries), more than the " +
                $"error budget of {allowed} (MaxFailedIterations); {usage.Snapshot().Total.Failures} backend calls failed after retries " +
                $"in this session. Last error, in {where}: {description}",
                error);
        }

        return description;
    }
}
