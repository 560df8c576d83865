namespace DeepLanguageNetworks.Tests.Training;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, at the moment of the report.</summary>
internal sealed class SynchronousProgress(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => handler(value);
}
