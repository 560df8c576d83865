namespace DeepLanguageNetworks.Paper.Tests;

/// <summary>Issue 14: the paper's protocol, rule by rule.</summary>
public class ProtocolTests
{
    [Theory]
    [InlineData("mpqa")]
    [InlineData("navigate")]
    [InlineData("disaster")]
    public void The_split_depends_on_the_data_seed_alone_never_on_a_run_seed(string taskId)
    {
        // A run seed lives in VariationalTrainerOptions; the data has its own seed, 42 unless changed.
        var byDefault = PaperDatasets.Load(taskId, TestData.DatasetsRoot);
        var dataSeed42 = PaperDatasets.Load(taskId, TestData.DatasetsRoot, new PaperDatasetOptions { DataSeed = 42 });
        var dataSeed7 = PaperDatasets.Load(taskId, TestData.DatasetsRoot, new PaperDatasetOptions { DataSeed = 7 });

        Assert.Equal(byDefault.Test, dataSeed42.Test);
        Assert.Equal(byDefault.Train, dataSeed42.Train);
        Assert.NotEqual(byDefault.Test.Select(e => e.Source), dataSeed7.Test.Select(e => e.Source));
        Assert.Contains("data seed 42", byDefault.SplitDescription);
        Assert.DoesNotContain(typeof(PaperDatasetOptions).GetProperties(), p => p.Name == "Seed");
    }

    [Fact]
    public void Runs_with_different_seeds_are_trained_and_tested_on_the_same_data()
    {
        // The PaperTasks sample loads each task once and gives only the trainer the run seed.
        var options = new PaperDatasetOptions { MaxTrain = 40, MaxDev = 20, MaxTest = 20 };
        var seeds = new[] { 13, 42, 25 };
        var datasets = seeds.Select(_ => PaperDatasets.Load("trec", options)).ToArray();
        var trainers = seeds.Select(seed => VariationalTrainerOptions.Dln1 with { Seed = seed }).ToArray();

        Assert.All(datasets, d => Assert.Equal(datasets[0].Test, d.Test));
        Assert.All(datasets, d => Assert.Equal(datasets[0].Dev, d.Dev));
        Assert.Equal(seeds, trainers.Select(t => t.Seed));
    }

    [Theory]
    [InlineData("disaster", "Is the following tweet relevant to a disaster? ")]
    [InlineData("airline", "Is the following tweet positive, negative, or neutral? ")]
    public void Leopard_inputs_begin_with_the_benchmark_question(string taskId, string question)
    {
        var data = PaperDatasets.Load(taskId, TestData.DatasetsRoot);

        Assert.All(data.Train.Concat(data.Dev).Concat(data.Test), e => Assert.StartsWith(question, e.Input, StringComparison.Ordinal));
        var first = LeopardLoader.Load(TestData.Leopard(taskId), PaperTasks.Get(taskId))[0];
        Assert.StartsWith(question, first.Input, StringComparison.Ordinal);
        Assert.NotEqual(' ', first.Input[question.Length]);
    }

    [Theory]
    [InlineData("mpqa", 42)]
    [InlineData("subj", 32)]
    [InlineData("trec", 133)]
    public void Ordered_prompt_dev_and_test_overlap_as_in_the_paper_and_the_overlap_can_be_removed(string taskId, int overlap)
    {
        var paper = PaperDatasets.Load(taskId);
        var devInputs = paper.Dev.Select(e => e.Input).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(250, paper.Test.Count);
        Assert.Equal(overlap, paper.Test.Count(e => devInputs.Contains(e.Input)));
        Assert.Contains($"{overlap} of the 250 test inputs are also dev inputs", paper.SplitDescription);

        var removed = PaperDatasets.Load(taskId, new PaperDatasetOptions { RemoveDevInputsFromTest = true });
        Assert.Equal(250 - overlap, removed.Test.Count);
        Assert.DoesNotContain(removed.Test, e => devInputs.Contains(e.Input));
        Assert.Equal(paper.Test.Where(e => !devInputs.Contains(e.Input)), removed.Test);
        Assert.Equal(paper.Train, removed.Train);
        Assert.Equal(paper.Dev, removed.Dev);
        Assert.Contains($"The {overlap} test items whose input is also a dev input were removed", removed.SplitDescription);
    }

    [Fact]
    public void Removing_dev_inputs_changes_nothing_where_splits_are_disjoint()
    {
        var options = new PaperDatasetOptions { RemoveDevInputsFromTest = true };
        Assert.Equal(PaperDatasets.Load("navigate").Test, PaperDatasets.Load("navigate", options).Test);
    }
}
