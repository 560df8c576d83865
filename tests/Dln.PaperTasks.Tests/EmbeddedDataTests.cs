namespace DeepLanguageNetworks.Paper.Tests;

/// <summary>The package carries the MIT-licensed BBH and Ordered-Prompt data, so no path is needed; Leopard is never packed.</summary>
public class EmbeddedDataTests
{
    [Theory]
    [InlineData("mpqa")]
    [InlineData("trec")]
    [InlineData("subj")]
    [InlineData("navigate")]
    [InlineData("hyperbaton")]
    [InlineData("date_understanding")]
    [InlineData("logical_deduction_seven_objects")]
    public void Embedded_data_gives_the_same_dataset_as_the_repository_folder(string taskId)
    {
        var options = new PaperDatasetOptions { MaxTrain = 50, MaxDev = 20, MaxTest = 30 };
        var embedded = PaperDatasets.Load(taskId, options);
        var folder = PaperDatasets.Load(taskId, TestData.DatasetsRoot, options);

        Assert.Equal(folder.Train, embedded.Train);
        Assert.Equal(folder.Dev, embedded.Dev);
        Assert.Equal(folder.Test, embedded.Test);
        Assert.Equal(folder.SplitDescription, embedded.SplitDescription);
        Assert.Equal(folder.OutputSpace, embedded.OutputSpace);
    }

    [Theory]
    [InlineData("disaster")]
    [InlineData("airline")]
    public void Leopard_is_not_packed_and_the_error_says_where_to_load_it_from(string taskId)
    {
        var error = Assert.Throws<FileNotFoundException>(() => PaperDatasets.Load(taskId));

        Assert.Contains("no licence", error.Message);
        Assert.Contains($"PaperDatasets.Load(\"{taskId}\", datasetsRoot)", error.Message);
        Assert.NotEmpty(PaperDatasets.Load(taskId, TestData.DatasetsRoot, new PaperDatasetOptions { MaxTrain = 10, MaxDev = 10, MaxTest = 10 }).Train);
    }

    [Fact]
    public void The_assembly_embeds_the_licences_and_no_leopard_file()
    {
        var names = typeof(PaperDatasets).Assembly.GetManifestResourceNames();

        Assert.Contains("bbh/LICENSE", names);
        Assert.Contains("bbh/SOURCE.md", names);
        Assert.Contains("ordered-prompt/LICENSE", names);
        Assert.Contains("ordered-prompt/SOURCE.md", names);
        Assert.Contains("ordered-prompt/mpqa/dev_subsample.jsonl", names);
        // 4 BBH files and 3 × 3 Ordered-Prompt files.
        Assert.Equal(13, names.Count(n => n.EndsWith(".json", StringComparison.Ordinal) || n.EndsWith(".jsonl", StringComparison.Ordinal)));
        Assert.DoesNotContain(names, n => n.Contains("leopard", StringComparison.OrdinalIgnoreCase) || n.Contains("disaster", StringComparison.Ordinal) || n.Contains("airline", StringComparison.Ordinal));
    }
}
