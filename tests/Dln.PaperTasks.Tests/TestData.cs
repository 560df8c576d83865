namespace DeepLanguageNetworks.Paper.Tests;

/// <summary>Paths to the paper's data files copied next to the test assembly, and scratch files for malformed input.</summary>
internal static class TestData
{
    public static string DatasetsRoot { get; } = Path.Combine(AppContext.BaseDirectory, "datasets");

    public static string Bbh(string task) => Path.Combine(DatasetsRoot, "bbh", $"{task}.json");

    public static string OrderedPrompt(string task, string split) => Path.Combine(DatasetsRoot, "ordered-prompt", task, $"{split}.jsonl");

    public static string Leopard(string task) => Path.Combine(DatasetsRoot, "leopard", task, $"{task}_eval.json");
}
