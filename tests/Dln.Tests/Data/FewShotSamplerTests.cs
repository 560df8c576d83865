namespace DeepLanguageNetworks.Tests.Data;

public class FewShotSamplerTests
{
    [Fact]
    public void Draws_distinct_class_balanced_examples()
    {
        // Skewed like airline's tweets: many negative, fewer neutral, few positive.
        var sentiment = OutputSpace.FromClasses("positive", "negative", "neutral");
        Example[] train =
        [
            .. Enumerable.Range(0, 60).Select(i => new Example($"awful flight {i}", "negative")),
            .. Enumerable.Range(0, 20).Select(i => new Example($"flight {i} on time", "neutral")),
            .. Enumerable.Range(0, 8).Select(i => new Example($"great crew {i}", "positive")),
        ];
        var sampler = new FewShotSampler(train, sentiment);

        for (var seed = 0; seed < 20; seed++)
        {
            var shots = sampler.Sample(5, new Random(seed));
            Assert.Equal(5, shots.Count);
            Assert.Equal(5, shots.Distinct().Count());
            Assert.All(shots, shot => Assert.Contains(shot, train));
            var counts = sentiment.Classes.Select(c => shots.Count(s => c.Matches(s.Target))).ToArray();
            Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
        }
    }

    [Fact]
    public void Is_reproducible_excludes_the_query_and_caps_at_the_pool_size()
    {
        var pool = Enumerable.Range(0, 6).Select(i => new Example($"q{i}", i % 2 == 0 ? "yes" : "no")).ToArray();
        var sampler = new FewShotSampler(pool, OutputSpace.FromClasses("yes|Yes", "no|No"));

        Assert.Equal(sampler.Sample(4, new Random(9)), sampler.Sample(4, new Random(9)));
        Assert.Empty(sampler.Sample(0, new Random(9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Sample(-1, new Random(9)));

        for (var seed = 0; seed < 10; seed++)
        {
            var shots = sampler.Sample(10, new Random(seed), exclude: pool[2]);
            Assert.Equal(5, shots.Count);
            Assert.DoesNotContain(pool[2], shots);
        }
    }

    [Fact]
    public void Free_text_pool_is_sampled_without_classes()
    {
        var pool = Enumerable.Range(0, 8).Select(i => new Example($"q{i}", $"answer number {i}")).ToArray();
        var sampler = new FewShotSampler(pool, OutputSpace.FreeText());

        var shots = sampler.Sample(3, new Random(2));
        Assert.Equal(3, shots.Distinct().Count());
        Assert.Equal(8, sampler.PoolSize);
    }
}
