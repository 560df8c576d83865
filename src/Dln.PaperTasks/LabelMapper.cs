namespace DeepLanguageNetworks.Paper;

/// <summary>
/// What the loaders of the paper tasks whose raw labels map to class names (Ordered-Prompt, Leopard) share: the field
/// mapping, reading from a file, and the task's input formatting; each loader only says how its file is laid out.
/// </summary>
internal static class LabelMapper
{
    /// <summary>Reads <paramref name="path"/> and loads it with <paramref name="load"/>, the loader's in-memory reader.</summary>
    public static IReadOnlyList<Example> LoadFile(string path, TaskDefinition task, Func<ReadOnlyMemory<byte>, string, TaskDefinition, IReadOnlyList<Example>> load)
    {
        ArgumentNullException.ThrowIfNull(task);
        RequireMapping(task);
        return load(DataSource.ReadFile(path), path, task);
    }

    /// <summary>Reads the examples with <paramref name="read"/> (given the task's fields) and formats their inputs as the task asks.</summary>
    public static IReadOnlyList<Example> Load(TaskDefinition task, string inputField, Func<ExampleFields, string, IReadOnlyList<Example>> read)
    {
        RequireMapping(task);
        var examples = read(Fields(task, inputField), $"task {task.Id}");
        return examples.Select(example => example with { Input = task.FormatInput(example.Input) }).ToArray();
    }

    public static void RequireMapping(TaskDefinition task)
    {
        if (task.LabelMapping.Count == 0)
        {
            throw new ArgumentException($"Task {task.Id} has no label mapping; this loader needs one to turn raw labels into class names.", nameof(task));
        }
    }

    /// <summary>The input from <paramref name="inputField"/>, the target from <c>label</c> through the task's mapping.</summary>
    public static ExampleFields Fields(TaskDefinition task, string inputField) =>
        new(inputField, "label") { TargetLabels = task.LabelMapping.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal) };
}
