namespace DeepLanguageNetworks.Tests.Data;

public class DatasetSplitTests
{
    private static readonly OutputSpace Teams = OutputSpace.FromClasses("billing", "bug", "other");

    // 60 billing, 30 bug, 10 other: a skewed set where an unstratified split could leave a class out of dev.
    private static readonly Example[] Skewed =
    [
        .. Enumerable.Range(0, 60).Select(i => new Example($"billing question {i}", "billing")),
        .. Enumerable.Range(0, 30).Select(i => new Example($"bug report {i}", "bug")),
        .. Enumerable.Range(0, 10).Select(i => new Example($"something else {i}", "other")),
    ];

    [Fact]
    public void A_stratified_split_keeps_every_class_share_in_every_split()
    {
        var data = Dataset.Split("tickets", Skewed, Teams);

        Assert.Equal((60, 20, 20), (data.Train.Count, data.Dev.Count, data.Test.Count));
        foreach (var split in new[] { data.Dev, data.Test })
        {
            Assert.Equal((12, 6, 2), (split.Count(e => e.Target == "billing"), split.Count(e => e.Target == "bug"), split.Count(e => e.Target == "other")));
        }

        Assert.Equal(Skewed.OrderBy(e => e.Input), data.Train.Concat(data.Dev).Concat(data.Test).OrderBy(e => e.Input));
        Assert.Equal(Teams, data.OutputSpace);
        Assert.Contains("stratified by class", data.SplitDescription);
        Assert.Contains("seed 42", data.SplitDescription);
    }

    [Fact]
    public void The_seed_alone_decides_the_split()
    {
        var first = Dataset.Split("tickets", Skewed, Teams);
        var again = Dataset.Split("tickets", Skewed, Teams, new DatasetSplitOptions { Seed = 42 });
        var other = Dataset.Split("tickets", Skewed, Teams, new DatasetSplitOptions { Seed = 7 });

        Assert.Equal(first.Train, again.Train);
        Assert.Equal(first.Dev, again.Dev);
        Assert.Equal(first.Test, again.Test);
        Assert.NotEqual(first.Test, other.Test);
    }

    [Fact]
    public void Seed_42_split_is_pinned_so_that_a_change_of_sampling_is_noticed()
    {
        var examples = Enumerable.Range(0, 10).Select(i => new Example($"q{i}", $"a{i}")).ToArray();
        var data = Dataset.Split("numbers", examples, options: new DatasetSplitOptions { DevFraction = 0.2, TestFraction = 0.2 });

        // Free text: one plain seeded permutation, test first, then dev, then train.
        var order = Enumerable.Range(0, 10).ToList();
        var random = new Random(42);
        for (var i = order.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        Assert.Equal(order.Take(2).Order(), data.Test.Select(e => int.Parse(e.Input[1..], System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.Equal(order.Skip(2).Take(2).Order(), data.Dev.Select(e => int.Parse(e.Input[1..], System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.DoesNotContain("stratified", data.SplitDescription);
    }

    [Fact]
    public void Unstratified_and_free_text_splits_use_the_fractions()
    {
        var data = Dataset.Split("tickets", Skewed, Teams, new DatasetSplitOptions { Stratify = false, DevFraction = 0.1, TestFraction = 0 });
        Assert.Equal((90, 10, 0), (data.Train.Count, data.Dev.Count, data.Test.Count));
        Assert.DoesNotContain("stratified", data.SplitDescription);
    }

    [Fact]
    public void Bad_options_and_too_few_examples_are_refused()
    {
        Assert.Equal("DevFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetSplitOptions { DevFraction = 0 }).ParamName);
        Assert.Equal("TestFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetSplitOptions { TestFraction = 1 }).ParamName);
        Assert.Throws<ArgumentException>(() => Dataset.Split("x", Skewed, Teams, new DatasetSplitOptions { DevFraction = 0.5, TestFraction = 0.5 }));
        Assert.Throws<ArgumentException>(() => Dataset.Split("x", Skewed.Take(2).ToArray()));
        var unknown = Assert.Throws<ArgumentException>(() => Dataset.Split("x", [.. Skewed, new Example("hi", "sales") { Source = "t.csv:9" }], Teams));
        Assert.Contains("t.csv:9", unknown.Message);
    }

    [Fact]
    public void A_dataset_checks_its_targets_against_its_output_space()
    {
        var train = new[] { new Example("a", "billing") };
        var test = new[] { new Example("b", "refund") { Source = "x.jsonl:4" } };

        var error = Assert.Throws<ArgumentException>(() => new Dataset("mine", train, train, test) { OutputSpace = Teams });

        Assert.Contains("test example 0 (x.jsonl:4)", error.Message);
        var free = new Dataset("mine", train, train, test);
        Assert.False(free.OutputSpace.IsClassification);
        Assert.Null(free.InitialInstruction);
        Assert.Empty(free.SplitDescription);
        Assert.Throws<ArgumentException>(() => new Dataset("mine", [null!], train, test));
    }

    [Fact]
    public void Load_reads_a_csv_of_your_own_and_splits_it()
    {
        using var folder = new TempFolder();
        var rows = Skewed.Select((e, i) => $"{i},\"{e.Input}, please\",{e.Target}");
        var path = folder.Write("tickets.csv", "id,text,team\n" + string.Join("\n", rows) + "\n");

        var data = Dataset.Load(path, new ExampleFields("text", "team"), Teams, new DatasetSplitOptions { Seed = 3 });

        Assert.Equal("tickets", data.Name);
        Assert.Equal((60, 20, 20), (data.Train.Count, data.Dev.Count, data.Test.Count));
        Assert.StartsWith("tickets.csv: 100 examples split 60 train / 20 dev / 20 test with seed 3, stratified", data.SplitDescription);
        Assert.All(data.Train, e => Assert.EndsWith(", please", e.Input));
    }
}
