namespace DeepLanguageNetworks;

/// <summary>Hands every published report to the caller's progress handler.</summary>
internal sealed class ProgressObserver(IProgress<TrainingProgress> progress) : TrainingObserver
{
    public override Task PublishedAsync(TrainingProgress report)
    {
        progress.Report(report);
        return Task.CompletedTask;
    }
}
