namespace DeepLanguageNetworks;

/// <summary>
/// Implemented by a backend's exceptions that know whether the failure will repeat. The trainer stops at once on a
/// permanent failure instead of spending its error budget (<see cref="TrainingRunOptions.MaxFailedIterations"/>)
/// on calls that cannot succeed.
/// </summary>
public interface ILanguageModelError
{
    /// <summary>
    /// Whether every further call will fail the same way: rejected credentials, an unknown model or deployment, or an
    /// operation the model refuses (log-probabilities on a reasoning model). Transient and per-request failures
    /// (rate limits, server errors, timeouts, one oversized input) are not permanent.
    /// </summary>
    bool IsPermanent { get; }
}
