namespace DeepLanguageNetworks.Paper;

/// <summary>
/// Reads an Ordered-Prompt JSON Lines file (<c>train.jsonl</c>, <c>dev_subsample.jsonl</c>, <c>test.jsonl</c>): one
/// <c>{"sentence": "…", "label": "0"}</c> object per line, with <see cref="ExampleFile"/>'s JSON Lines reader. Each
/// example's input is <see cref="TaskDefinition.FormatInput(string)"/> of the sentence (sentence, then the options
/// block) and its target is the mapped label (for example <c>"0"</c> → <c>negative</c> for mpqa). Blank lines are skipped.
/// </summary>
internal static class OrderedPromptLoader
{
    /// <summary>Loads and formats the examples of an Ordered-Prompt file in file order.</summary>
    /// <param name="path">The file, for example <c>samples/datasets/ordered-prompt/trec/train.jsonl</c>.</param>
    /// <param name="task">The task whose label mapping applies, for example <c>PaperTasks.Get("trec")</c>.</param>
    /// <returns>The examples; <see cref="Example.Source"/> is <c>folder/file:line</c>.</returns>
    public static IReadOnlyList<Example> Load(string path, TaskDefinition task) => LabelMapper.LoadFile(path, task, Load);

    /// <summary>Loads Ordered-Prompt data already in memory; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<Example> Load(ReadOnlyMemory<byte> bytes, string source, TaskDefinition task) =>
        LabelMapper.Load(task, "sentence", (fields, context) => ExampleFile.ReadJsonLines(bytes, source, fields, classes: null, context));
}
