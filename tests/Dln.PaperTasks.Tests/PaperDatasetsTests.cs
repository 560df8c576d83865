using DeepLanguageNetworks.Tests.Data;

namespace DeepLanguageNetworks.Paper.Tests;

public class PaperDatasetsTests
{
    [Theory]
    [InlineData("hyperbaton", 100, 50, 100)]
    [InlineData("navigate", 100, 50, 100)]
    [InlineData("date_understanding", 100, 50, 100)]
    [InlineData("logical_deduction_seven_objects", 100, 50, 100)]
    [InlineData("mpqa", 1000, 256, 250)]
    [InlineData("trec", 1000, 256, 250)]
    [InlineData("subj", 1000, 256, 250)]
    [InlineData("disaster", 1000, 250, 250)]
    [InlineData("airline", 1000, 250, 250)]
    public void Every_paper_task_loads_with_the_documented_split_sizes(string taskId, int train, int dev, int test)
    {
        var dataset = PaperDatasets.Load(taskId, TestData.DatasetsRoot);

        Assert.Equal(taskId, dataset.Name);
        Assert.Equal(PaperTasks.Get(taskId).OutputSpace, dataset.OutputSpace);
        Assert.Equal(PaperTasks.Get(taskId).InitialInstruction, dataset.InitialInstruction);
        Assert.Equal((train, dev, test), (dataset.Train.Count, dataset.Dev.Count, dataset.Test.Count));
        Assert.All(dataset.Train.Concat(dataset.Dev).Concat(dataset.Test), e => Assert.NotNull(dataset.OutputSpace.FindClass(e.Target)));
        Assert.NotEmpty(dataset.SplitDescription);
    }

    [Theory]
    [InlineData("navigate")]
    [InlineData("date_understanding")]
    [InlineData("trec")]
    [InlineData("airline")]
    public void Splits_do_not_overlap(string taskId)
    {
        var dataset = PaperDatasets.Load(taskId, TestData.DatasetsRoot, new PaperDatasetOptions { DataSeed = 13 });

        var sources = dataset.Train.Concat(dataset.Dev).Concat(dataset.Test).Select(e => e.Source).ToList();
        Assert.All(sources, Assert.NotNull);
        Assert.Equal(sources.Count, sources.Distinct().Count());
    }

    [Theory]
    [InlineData("hyperbaton")]
    [InlineData("subj")]
    [InlineData("disaster")]
    public void Same_seed_gives_the_same_split_and_another_seed_a_different_one(string taskId)
    {
        var first = PaperDatasets.Load(taskId, TestData.DatasetsRoot, new PaperDatasetOptions { DataSeed = 42 });
        var again = PaperDatasets.Load(taskId, TestData.DatasetsRoot, new PaperDatasetOptions { DataSeed = 42 });
        var other = PaperDatasets.Load(taskId, TestData.DatasetsRoot, new PaperDatasetOptions { DataSeed = 25 });

        Assert.Equal(first.Train, again.Train);
        Assert.Equal(first.Dev, again.Dev);
        Assert.Equal(first.Test, again.Test);
        Assert.NotEqual(first.Train.Select(e => e.Source), other.Train.Select(e => e.Source));
        Assert.NotEqual(first.Test.Select(e => e.Source), other.Test.Select(e => e.Source));
    }

    [Fact]
    public void Seed_42_split_is_pinned_so_that_a_change_of_sampling_is_noticed()
    {
        // If this fails, runs made before the change no longer use the same split: say so in the release notes.
        var dataset = PaperDatasets.Load("navigate", TestData.DatasetsRoot, new PaperDatasetOptions { DataSeed = 42 });
        var again = PaperDatasets.Load("navigate", TestData.DatasetsRoot);

        Assert.Equal(dataset.Test.Select(e => e.Source), again.Test.Select(e => e.Source));
        var indices = dataset.Train.Take(3).Select(e => e.Source).ToArray();
        var expected = ExpectedFirstTrainSources(250, 42, 3).Select(i => $"bbh/navigate.json[{i}]");
        Assert.Equal(expected, indices);
    }

    [Fact]
    public void Bbh_train_and_dev_options_are_shuffled_but_test_items_are_as_published()
    {
        var published = BbhLoader.Load(TestData.Bbh("date_understanding")).ToDictionary(e => e.Source!);
        var dataset = PaperDatasets.Load("date_understanding", TestData.DatasetsRoot);

        Assert.All(dataset.Test, e => Assert.Equal(published[e.Source!], e));

        var changed = 0;
        foreach (var example in dataset.Train.Concat(dataset.Dev))
        {
            var original = published[example.Source!];
            Assert.Equal(OptionsBlock.Strip(original.Input), OptionsBlock.Strip(example.Input));
            Assert.Equal(GoldText(original), GoldText(example));
            changed += original.Input != example.Input ? 1 : 0;
        }

        Assert.True(changed > 100, $"only {changed} of 150 items had their options moved");
    }

    [Fact]
    public void Navigate_and_disabled_shuffling_keep_inputs_as_published()
    {
        var published = BbhLoader.Load(TestData.Bbh("navigate")).ToDictionary(e => e.Source!);
        var navigate = PaperDatasets.Load("navigate", TestData.DatasetsRoot);
        Assert.All(navigate.Train.Concat(navigate.Dev), e => Assert.Equal(published[e.Source!], e));

        var hyperbatonPublished = BbhLoader.Load(TestData.Bbh("hyperbaton")).ToDictionary(e => e.Source!);
        var unshuffled = PaperDatasets.Load("hyperbaton", TestData.DatasetsRoot, new PaperDatasetOptions { ShuffleOptions = false });
        Assert.All(unshuffled.Train.Concat(unshuffled.Dev), e => Assert.Equal(hyperbatonPublished[e.Source!], e));
    }

    [Fact]
    public void Caps_keep_class_balanced_subsets()
    {
        var options = new PaperDatasetOptions { MaxTrain = 400, MaxDev = 60, MaxTest = 30 };
        var dataset = PaperDatasets.Load("disaster", TestData.DatasetsRoot, options);

        Assert.Equal((400, 60, 30), (dataset.Train.Count, dataset.Dev.Count, dataset.Test.Count));
        Assert.Equal(200, dataset.Train.Count(e => e.Target == "yes"));
        Assert.Equal(30, dataset.Dev.Count(e => e.Target == "yes"));
        Assert.Equal(15, dataset.Test.Count(e => e.Target == "yes"));
        Assert.Contains("Class-balanced caps", dataset.SplitDescription);

        var uncapped = PaperDatasets.Load("disaster", TestData.DatasetsRoot);
        // The capped train set is drawn from the uncapped one, in its order.
        var uncappedOrder = uncapped.Train.Select(e => e.Source).ToList();
        var positions = dataset.Train.Select(e => uncappedOrder.IndexOf(e.Source)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void Options_reject_caps_below_one_naming_the_option()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PaperDatasetOptions { MaxDev = 0 });
        Assert.Equal("MaxDev", error.ParamName);
        var defaults = new PaperDatasetOptions();
        Assert.Equal(42, defaults.DataSeed);
        Assert.False(defaults.RemoveDevInputsFromTest);
        Assert.Null(defaults.MaxTrain);
        Assert.True(defaults.ShuffleOptions);
    }

    [Fact]
    public void Missing_folder_file_or_task_gives_a_clear_error()
    {
        Assert.Throws<DirectoryNotFoundException>(() => PaperDatasets.Load("trec", Path.Combine(TestData.DatasetsRoot, "nope")));

        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "bbh"));
        var missing = Assert.Throws<FileNotFoundException>(() => PaperDatasets.Load("navigate", folder.Path));
        Assert.Contains(Path.Combine("bbh", "navigate.json"), missing.Message);

        var unknown = Assert.Throws<ArgumentException>(() => PaperDatasets.Load("gsm8k", TestData.DatasetsRoot));
        Assert.Contains("hyperbaton", unknown.Message);
    }

    /// <summary>The documented rule written out independently: one Random(seed), Fisher–Yates over all indices, first items are train.</summary>
    private static IEnumerable<int> ExpectedFirstTrainSources(int count, int seed, int take)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, count).ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order.Take(take);
    }

    private static string GoldText(Example example)
    {
        var letter = AnswerNormalizer.Normalize(example.Target).ToUpperInvariant();
        var line = example.Input.Split('\n').Single(l => l.StartsWith($"({letter}) ", StringComparison.Ordinal));
        return line[4..];
    }
}
