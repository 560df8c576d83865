namespace DeepLanguageNetworks.Samples.Benchmark;

/// <summary>One cell entry of the benchmark: a method on a task with a seed.</summary>
/// <param name="Task">The task.</param>
/// <param name="Method">The method.</param>
/// <param name="Seed">Seed of the data split, the demonstrations and the trainer.</param>
internal sealed record PlannedRun(TaskDefinition Task, Method Method, int Seed)
{
    /// <summary>A short label for progress lines.</summary>
    public string Label => $"{Task.Id} {Method.Name} seed {Seed}";
}
