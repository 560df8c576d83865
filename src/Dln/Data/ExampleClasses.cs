namespace DeepLanguageNetworks;

/// <summary>Groups examples by the task class their target names.</summary>
internal static class ExampleClasses
{
    /// <summary>
    /// For each task class, in the task's class order, the positions in <paramref name="examples"/> of the examples of
    /// that class (empty for classes with none). Throws when a target names no class, since balancing would
    /// otherwise silently drop the example.
    /// </summary>
    public static List<int>[] GroupIndicesByClass(IReadOnlyList<Example> examples, TaskDefinition task, string parameterName)
    {
        var groups = new List<int>[task.Classes.Count];
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = [];
        }

        for (var position = 0; position < examples.Count; position++)
        {
            var example = examples[position];
            ArgumentNullException.ThrowIfNull(example, parameterName);
            groups[IndexOfClass(task, example, parameterName)].Add(position);
        }

        return groups;
    }

    private static int IndexOfClass(TaskDefinition task, Example example, string parameterName)
    {
        for (var i = 0; i < task.Classes.Count; i++)
        {
            if (task.Classes[i].Matches(example.Target))
            {
                return i;
            }
        }

        var where = example.Source is null ? string.Empty : $" ({example.Source})";
        throw new ArgumentException(
            $"Target \"{example.Target}\"{where} names no class of task {task.Id} (known: {string.Join(", ", task.Classes.Select(c => c.Label))}).",
            parameterName);
    }
}
