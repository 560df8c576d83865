namespace DeepLanguageNetworks.Paper;

/// <summary>The field mapping of a paper task whose raw labels map to class names (Ordered-Prompt, Leopard).</summary>
internal static class LabelMapper
{
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
