using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.Docs.Tests;

/// <summary>What the READMEs state about the code, checked against the code.</summary>
public partial class ReadmeFactsTests
{
    [Fact]
    public void The_architecture_section_lists_exactly_the_core_public_types()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var start = readme.IndexOf("\n## Architecture", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no Architecture section");
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];

        // The type cells of the table: the first and third columns.
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in section.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = row.Split('|');
            foreach (var cell in new[] { cells[1], cells[3] })
            {
                if (TypeCell().Match(cell.Trim()) is { Success: true } match)
                {
                    Assert.True(listed.Add(match.Groups["name"].Value), $"{match.Groups["name"].Value} is listed twice");
                }
            }
        }

        var exported = typeof(Dln).Assembly.GetExportedTypes()
            .Where(t => !t.IsNested)
            .Select(t => t.Name.Split('`')[0])
            .ToHashSet(StringComparer.Ordinal);
        Assert.Empty(exported.Except(listed).Order(StringComparer.Ordinal));
        Assert.Empty(listed.Except(exported).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_package_packs_its_own_readme_with_no_clone_only_commands()
    {
        foreach (var project in Directory.GetFiles(Path.Combine(Repository.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(project);
            if (!text.Contains("<IsPackable>true</IsPackable>", StringComparison.Ordinal))
            {
                continue;
            }

            var name = Path.GetFileName(project);
            Assert.Contains("<PackageReadmeFile>README.md</PackageReadmeFile>", text, StringComparison.Ordinal);
            Assert.Contains("<None Include=\"README.md\" Pack=\"true\" PackagePath=\"/\" />", text, StringComparison.Ordinal);
            var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(project)!, "README.md"));
            Assert.False(readme.Contains("--project samples/", StringComparison.Ordinal), $"{name}: its README runs a sample of the repository");
            Assert.False(readme.Contains("\"samples/datasets\"", StringComparison.Ordinal), $"{name}: its README reads the repository's data folder");
        }
    }

    [Fact]
    public void The_readme_names_every_package_and_the_options_the_defaults_table_must_show()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        foreach (var package in Directory.GetDirectories(Path.Combine(Repository.Root, "src")).Select(Path.GetFileName).Where(n => n!.StartsWith("Dln", StringComparison.Ordinal)))
        {
            Assert.Contains($"| `{package}` |", readme, StringComparison.Ordinal);
        }

        foreach (var option in new[] { "SkipUpdateWhenBatchCorrect", "MaxExamplesInMetaPrompt", "MaxPromptCharacters", "BackwardMaxTokens", "EvaluateBeforeTraining" })
        {
            Assert.Contains($"| `{option}` |", readme, StringComparison.Ordinal);
        }

        foreach (var variable in new[] { "DLN_API_KEY", "DLN_SERVER", "DLN_SCORING_BASE_URL", "DLN_BASE_URL", "DLN_MODEL_PATH" })
        {
            Assert.Contains($"`{variable}`", readme, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Dln.SaveAsync", readme, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^`(?<name>[A-Za-z][A-Za-z0-9]*)`$")]
    private static partial Regex TypeCell();
}
