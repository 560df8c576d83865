namespace DeepLanguageNetworks;

/// <summary>
/// Reads an Ordered-Prompt JSON Lines file (<c>train.jsonl</c>, <c>dev_subsample.jsonl</c>, <c>test.jsonl</c>): one
/// <c>{"sentence": "…", "label": "0"}</c> object per line. Each example's input is
/// <see cref="TaskDefinition.FormatInput(string)"/> of the sentence (sentence, then the options block) and its target
/// is the mapped label (for example <c>"0"</c> → <c>negative</c> for mpqa). Blank lines are skipped.
/// </summary>
public static class OrderedPromptLoader
{
    /// <summary>Loads and formats the examples of an Ordered-Prompt file in file order.</summary>
    /// <param name="path">The file, for example <c>samples/datasets/ordered-prompt/trec/train.jsonl</c>.</param>
    /// <param name="task">The task whose label mapping applies, for example <c>PaperTasks.Get("trec")</c>.</param>
    /// <returns>The examples; <see cref="Example.Source"/> is <c>folder/file:line</c>.</returns>
    /// <exception cref="DatasetFormatException">A line is not a JSON object, or lacks a non-empty <c>sentence</c> or a known <c>label</c>. The message names the file, line and field.</exception>
    /// <exception cref="ArgumentException">The task has no label mapping.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IReadOnlyList<Example> Load(string path, TaskDefinition task)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(task);
        LabelMapper.RequireMapping(task);

        var examples = new List<Example>();
        foreach (var record in JsonFile.ReadJsonLines(path))
        {
            var sentence = record.GetRequiredString("sentence");
            var target = LabelMapper.Map(record, "label", task);
            examples.Add(new Example(task.FormatInput(sentence), target) { Source = record.Location });
        }

        if (examples.Count == 0)
        {
            throw new DatasetFormatException(path, null, null, null, "has no examples (expected one JSON object per line)");
        }

        return examples;
    }
}
