namespace DeepLanguageNetworks.Paper;

/// <summary>
/// Reads a Leopard evaluation file: a JSON array of <c>{"sentence1": "…", "label": "…", "processed_sent": "…"}</c>,
/// with <see cref="ExampleFile"/>'s JSON reader. Each example's input is <see cref="TaskDefinition.FormatInput(string)"/>
/// of <c>sentence1</c> (task question, tweet, options block) and its target is the mapped label (for example
/// <c>Relevant</c> → <c>yes</c>). <c>processed_sent</c> is not used. Tweets are kept as published, mojibake included;
/// bytes that are not valid UTF-8 are an error naming the line, element and field.
/// </summary>
/// <remarks>The Leopard files carry no licence: use them for tests and samples only, never ship them in a package.</remarks>
internal static class LeopardLoader
{
    /// <summary>Loads and formats the examples of a Leopard file in file order.</summary>
    /// <param name="path">The file, for example <c>samples/datasets/leopard/disaster/disaster_eval.json</c>.</param>
    /// <param name="task">The task whose label mapping and question apply, for example <c>PaperTasks.Get("disaster")</c>.</param>
    /// <returns>The examples; <see cref="Example.Source"/> is <c>folder/file[index]</c>.</returns>
    public static IReadOnlyList<Example> Load(string path, TaskDefinition task) => LabelMapper.LoadFile(path, task, Load);

    /// <summary>Loads Leopard data already in memory; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<Example> Load(ReadOnlyMemory<byte> bytes, string source, TaskDefinition task) =>
        LabelMapper.Load(task, "sentence1", (fields, context) => ExampleFile.ReadJson(bytes, source, fields, arrayProperty: null, classes: null, context));
}
