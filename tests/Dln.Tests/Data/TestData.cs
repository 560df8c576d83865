namespace DeepLanguageNetworks.Tests.Data;

/// <summary>Paths to the paper's data files copied next to the test assembly, and scratch files for malformed input.</summary>
internal static class TestData
{
    public static string DatasetsRoot { get; } = Path.Combine(AppContext.BaseDirectory, "datasets");

    public static string Bbh(string task) => Path.Combine(DatasetsRoot, "bbh", $"{task}.json");

    public static string OrderedPrompt(string task, string split) => Path.Combine(DatasetsRoot, "ordered-prompt", task, $"{split}.jsonl");

    public static string Leopard(string task) => Path.Combine(DatasetsRoot, "leopard", task, $"{task}_eval.json");
}

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dln-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
