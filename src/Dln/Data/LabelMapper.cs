namespace DeepLanguageNetworks;

/// <summary>Maps the raw label field of a record through a task's label mapping, with a clear error for unknown labels.</summary>
internal static class LabelMapper
{
    public static void RequireMapping(TaskDefinition task)
    {
        if (task.LabelMapping.Count == 0)
        {
            throw new ArgumentException($"Task {task.Id} has no label mapping; this loader needs one to turn raw labels into class names.", nameof(task));
        }
    }

    public static string Map(JsonRecord record, string field, TaskDefinition task)
    {
        var raw = record.GetRequiredString(field, allowEmpty: true);
        if (task.TryMapLabel(raw, out var mapped))
        {
            return mapped;
        }

        var known = string.Join(", ", task.LabelMapping.Select(pair => $"\"{pair.Key}\""));
        throw record.Error(field, $"has unknown label \"{raw}\" for task {task.Id} (known: {known})");
    }
}
