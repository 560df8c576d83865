namespace DeepLanguageNetworks;

/// <summary>
/// A task's data split into train, dev (validation) and test sets, as built by <see cref="PaperDatasets"/> or by your
/// own code from the loaders. Immutable.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset from its three splits.</summary>
    /// <param name="name">A name for reports, usually the task id.</param>
    /// <param name="task">The task the examples belong to.</param>
    /// <param name="train">Examples the prompts are learned on.</param>
    /// <param name="dev">Examples that select the best prompts during training.</param>
    /// <param name="test">Held-out examples for the final accuracy.</param>
    /// <param name="splitDescription">How the splits were made, including any deviation from the paper; shown in run reports.</param>
    public Dataset(
        string name,
        TaskDefinition task,
        IReadOnlyList<Example> train,
        IReadOnlyList<Example> dev,
        IReadOnlyList<Example> test,
        string? splitDescription = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(dev);
        ArgumentNullException.ThrowIfNull(test);

        Name = name;
        Task = task;

        // Copies, so that the caller's lists changing later cannot change a dataset already in use.
        Train = train.ToArray();
        Dev = dev.ToArray();
        Test = test.ToArray();
        SplitDescription = splitDescription ?? string.Empty;
    }

    /// <summary>A name for reports, usually the task id.</summary>
    public string Name { get; }

    /// <summary>The task the examples belong to.</summary>
    public TaskDefinition Task { get; }

    /// <summary>Examples the prompts are learned on.</summary>
    public IReadOnlyList<Example> Train { get; }

    /// <summary>Examples that select the best prompts during training.</summary>
    public IReadOnlyList<Example> Dev { get; }

    /// <summary>Held-out examples for the final accuracy.</summary>
    public IReadOnlyList<Example> Test { get; }

    /// <summary>How the splits were made, including any deviation from the paper; empty when not stated.</summary>
    public string SplitDescription { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Train.Count} train / {Dev.Count} dev / {Test.Count} test";
}
