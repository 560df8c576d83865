namespace DeepLanguageNetworks.Paper;

/// <summary>
/// Reads a BIG-Bench-Hard task file: <c>{"canary": "…", "examples": [{"input": "…", "target": "…"}, …]}</c>, with
/// <see cref="ExampleFile"/>'s JSON reader. Inputs are kept as given (they already end with an <c>Options:</c> block);
/// targets such as <c>(A)</c> or <c>Yes</c> are kept as given and compared after <see cref="AnswerNormalizer"/> normalisation.
/// </summary>
/// <remarks>
/// The BBH files carry the BIG-bench canary string; the loader ignores it, but the data must never be used to
/// train a language model.
/// </remarks>
internal static class BbhLoader
{
    private static readonly ExampleFields Fields = new("input", "target");

    /// <summary>Loads the examples of a BBH file in file order.</summary>
    /// <param name="path">The <c>.json</c> file, for example <c>samples/datasets/bbh/navigate.json</c>.</param>
    /// <param name="task">When given, every target must name one of the task's classes.</param>
    /// <returns>The examples; <see cref="Example.Source"/> is <c>folder/file[index]</c>.</returns>
    public static IReadOnlyList<Example> Load(string path, TaskDefinition? task = null) =>
        Load(DataSource.ReadFile(path), path, task);

    /// <summary>Loads the examples of BBH data already in memory; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<Example> Load(ReadOnlyMemory<byte> bytes, string source, TaskDefinition? task) =>
        ExampleFile.ReadJson(bytes, source, Fields, "examples", task?.OutputSpace, task is null ? null : $"task {task.Id}");
}
