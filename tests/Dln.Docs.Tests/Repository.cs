namespace DeepLanguageNetworks.Docs.Tests;

/// <summary>The repository these tests were built from, and its READMEs.</summary>
public static class Repository
{
    /// <summary>The folder that holds <c>Dln.sln</c>, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The repository's README and each package's NuGet README, relative to the root.</summary>
    public static IReadOnlyList<string> Readmes { get; } =
    [
        "README.md",
        .. Directory.GetDirectories(Path.Combine(Root, "src"))
            .Where(d => File.Exists(Path.Combine(d, "README.md")))
            .Select(d => Path.GetRelativePath(Root, Path.Combine(d, "README.md")).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Every <c>csharp</c> block of every README.</summary>
    public static IEnumerable<MarkdownCodeBlock> CSharpBlocks() =>
        Readmes.SelectMany(file => MarkdownCodeBlock.Parse(file, File.ReadAllText(Path.Combine(Root, file))))
            .Where(block => block.Language is "csharp" or "cs" or "c#");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dln.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Dln.sln above {AppContext.BaseDirectory}: these tests read the READMEs of the repository they were built in.");
    }
}
