namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// Cancels a run when the report of a given iteration arrives. Reports synchronously (unlike <see cref="Progress{T}"/>,
/// which posts to the thread pool), so the cancellation happens at a known point of the run.
/// </summary>
internal sealed class CancelAtIteration(int iteration, CancellationTokenSource source) : IProgress<TrainingProgress>
{
    public List<TrainingProgress> Reports { get; } = [];

    public void Report(TrainingProgress value)
    {
        Reports.Add(value);
        if (value.Iteration == iteration)
        {
            source.Cancel();
        }
    }
}
