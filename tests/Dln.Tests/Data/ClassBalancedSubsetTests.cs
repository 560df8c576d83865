namespace DeepLanguageNetworks.Tests.Data;

public class ClassBalancedSubsetTests
{
    private static readonly OutputSpace Polarity = OutputSpace.FromClasses("negative", "positive");
    private static readonly OutputSpace QuestionTypes = OutputSpace.FromClasses("description", "entity", "expression", "human", "location", "number");

    private static readonly Example[] Skewed =
        Enumerable.Range(0, 40).Select(i => new Example($"n{i}", "negative") { Source = $"n{i}" })
            .Concat(Enumerable.Range(0, 4).Select(i => new Example($"p{i}", "positive") { Source = $"p{i}" }))
            .ToArray();

    [Fact]
    public void Takes_round_robin_so_a_small_class_gives_all_it_has()
    {
        var subset = ClassBalancedSubset.Take(Skewed, 10, Polarity, "task mpqa", new Random(0));

        Assert.Equal(10, subset.Count);
        Assert.Equal(4, subset.Count(e => e.Target == "positive"));
        Assert.Equal(6, subset.Count(e => e.Target == "negative"));
        Assert.Equal(10, subset.Distinct().Count());
    }

    [Fact]
    public void Balances_exactly_when_classes_are_large_enough_and_keeps_the_original_order()
    {
        var subset = ClassBalancedSubset.Take(Skewed, 6, Polarity, "task mpqa", new Random(3));

        Assert.Equal(3, subset.Count(e => e.Target == "positive"));
        var positions = subset.Select(e => Array.IndexOf(Skewed, e)).ToArray();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void Is_seeded_returns_everything_when_the_cap_is_large_and_rejects_bad_input()
    {
        Assert.Equal(
            ClassBalancedSubset.Take(Skewed, 8, Polarity, "task mpqa", new Random(5)),
            ClassBalancedSubset.Take(Skewed, 8, Polarity, "task mpqa", new Random(5)));
        Assert.Equal(Skewed, ClassBalancedSubset.Take(Skewed, 100, Polarity, "task mpqa", new Random(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassBalancedSubset.Take(Skewed, 0, Polarity, "task mpqa", new Random(5)));
        Assert.Throws<ArgumentException>(() => ClassBalancedSubset.Take(Skewed, 3, QuestionTypes, "task trec", new Random(5)));
    }
}
