namespace DeepLanguageNetworks.Docs.Tests;

/// <summary>Every C# block of the READMEs compiles as the Program.cs of a fresh console app, so the READMEs cannot drift.</summary>
public class ReadmeCompilationTests
{
    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var block in Repository.CSharpBlocks())
        {
            data.Add(block.File, block.Index);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Block_compiles_as_a_console_program(string file, int index)
    {
        var block = Repository.CSharpBlocks().Single(b => b.File == file && b.Index == index);

        var errors = SnippetCompiler.Errors(block);

        Assert.True(errors.Count == 0, $"{block} does not compile:\n{string.Join('\n', errors)}");
    }

    [Fact]
    public void Every_readme_has_csharp_blocks_found_by_the_parser()
    {
        var blocks = Repository.CSharpBlocks().ToArray();

        Assert.Contains(blocks, b => b.File == "README.md");
        Assert.Contains("README.md", Repository.Readmes);
        Assert.Contains("src/Dln/README.md", Repository.Readmes);
        Assert.Contains("src/Dln.PaperTasks/README.md", Repository.Readmes);
    }

    [Fact]
    public void A_block_that_does_not_compile_fails_naming_file_block_and_line()
    {
        const string markdown = "# Title\n\ntext\n\n```csharp\nusing DeepLanguageNetworks;\n\nvar network = Dln.CreateOneLayer(model, \"prompt\", OutputSpace.FreeText());\n```\n";
        var block = Assert.Single(MarkdownCodeBlock.Parse("docs/broken.md", markdown));

        var errors = SnippetCompiler.Errors(block);

        // `model` is defined in no block: the line is the README's, 8, not the snippet's 3.
        var error = Assert.Single(errors);
        Assert.StartsWith("docs/broken.md:8: CS0103", error, StringComparison.Ordinal);
        Assert.Contains("'model'", error, StringComparison.Ordinal);
        Assert.Equal("docs/broken.md, csharp block 1 (line 6)", block.ToString());
    }

    [Fact]
    public void A_block_must_name_the_package_it_uses()
    {
        // The hosted backend's type without its using: a user pasting this gets an error, and so does the test.
        var missingUsing = new MarkdownCodeBlock("x.md", 1, 1, "csharp", "using var model = OpenAIChatLanguageModel.ForOpenAI(\"key\", \"gpt-4o-mini\");");
        var withUsing = missingUsing with { Code = "using DeepLanguageNetworks.OpenAI;\n" + missingUsing.Code };

        Assert.Contains(SnippetCompiler.Errors(missingUsing), e => e.Contains("CS0103", StringComparison.Ordinal));
        Assert.Empty(SnippetCompiler.Errors(withUsing));
    }
}
