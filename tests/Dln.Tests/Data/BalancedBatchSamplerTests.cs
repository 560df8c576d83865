namespace DeepLanguageNetworks.Tests.Data;

public class BalancedBatchSamplerTests
{
    [Theory]
    [InlineData(20)]
    [InlineData(7)]
    [InlineData(1)]
    public void Balanced_batches_have_class_counts_that_differ_by_at_most_one(int size)
    {
        var train = PaperDatasets.Load("trec", TestData.DatasetsRoot).Train;
        var sampler = new BalancedBatchSampler(train, PaperTasks.Trec, new Random(42));
        var totals = new Dictionary<string, int>();

        for (var i = 0; i < 30; i++)
        {
            var batch = sampler.NextBatch(size);
            Assert.Equal(size, batch.Count);
            var counts = PaperTasks.Trec.Classes.Select(c => batch.Count(e => c.Matches(e.Target))).ToArray();
            Assert.True(counts.Max() - counts.Min() <= 1, $"batch class counts: {string.Join(",", counts)}");
            foreach (var example in batch)
            {
                totals[example.Target] = totals.GetValueOrDefault(example.Target) + 1;
            }
        }

        // The round-robin position carries over, so over many batches no class is favoured (30 batches: 30·size draws).
        Assert.Equal(6, totals.Count);
        Assert.True(totals.Values.Max() - totals.Values.Min() <= 1, $"totals: {string.Join(",", totals)}");
    }

    [Fact]
    public void Balancing_holds_for_skewed_data_and_refills_a_small_class()
    {
        var examples = Enumerable.Range(0, 90).Select(i => new Example($"neg {i}", "negative"))
            .Concat(Enumerable.Range(0, 3).Select(i => new Example($"pos {i}", "positive")))
            .ToArray();
        var sampler = new BalancedBatchSampler(examples, PaperTasks.Mpqa, new Random(1));

        var positives = new List<Example>();
        for (var i = 0; i < 3; i++)
        {
            var batch = sampler.NextBatch(10);
            Assert.Equal(5, batch.Count(e => e.Target == "positive"));
            positives.AddRange(batch.Where(e => e.Target == "positive"));
        }

        // Each class is read from a permutation: every 3 positive draws cover all 3 positives before any repeats.
        for (var start = 0; start + 3 <= positives.Count; start += 3)
        {
            Assert.Equal(3, positives.Skip(start).Take(3).Distinct().Count());
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_batches()
    {
        var train = PaperDatasets.Load("navigate", TestData.DatasetsRoot).Train;
        var a = new BalancedBatchSampler(train, PaperTasks.Navigate, new Random(3));
        var b = new BalancedBatchSampler(train, PaperTasks.Navigate, new Random(3));
        var c = new BalancedBatchSampler(train, PaperTasks.Navigate, new Random(4));

        var batchesA = Enumerable.Range(0, 5).SelectMany(_ => a.NextBatch(10)).ToArray();
        var batchesB = Enumerable.Range(0, 5).SelectMany(_ => b.NextBatch(10)).ToArray();
        var batchesC = Enumerable.Range(0, 5).SelectMany(_ => c.NextBatch(10)).ToArray();
        Assert.Equal(batchesA, batchesB);
        Assert.NotEqual(batchesA, batchesC);
    }

    [Fact]
    public void Random_mode_walks_a_permutation_of_all_examples_then_starts_another()
    {
        var examples = Enumerable.Range(0, 12).Select(i => new Example($"x{i}", i % 4 == 0 ? "yes" : "no")).ToArray();
        var sampler = new BalancedBatchSampler(examples, task: null, new Random(5), classBalanced: false);

        Assert.False(sampler.IsClassBalanced);
        var epoch = sampler.NextBatch(4).Concat(sampler.NextBatch(4)).Concat(sampler.NextBatch(4)).ToArray();
        Assert.Equal(examples.OrderBy(e => e.Input), epoch.OrderBy(e => e.Input));
        var next = sampler.NextBatch(12);
        Assert.Equal(examples.OrderBy(e => e.Input), next.OrderBy(e => e.Input));
        Assert.NotEqual(epoch, next);
    }

    [Fact]
    public void Invalid_arguments_are_rejected_with_clear_errors()
    {
        var examples = new[] { new Example("a", "yes"), new Example("b", "maybe") { Source = "f.jsonl:2" } };

        var unknown = Assert.Throws<ArgumentException>(() => new BalancedBatchSampler(examples, PaperTasks.Navigate, new Random(0)));
        Assert.Contains("maybe", unknown.Message);
        Assert.Contains("f.jsonl:2", unknown.Message);

        Assert.Throws<ArgumentException>(() => new BalancedBatchSampler(examples, task: null, new Random(0)));
        Assert.Throws<ArgumentException>(() => new BalancedBatchSampler([], PaperTasks.Navigate, new Random(0)));

        var sampler = new BalancedBatchSampler(examples[..1], PaperTasks.Navigate, new Random(0));
        Assert.Equal(1, sampler.GroupCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.NextBatch(0));
        Assert.All(sampler.NextBatch(3), e => Assert.Equal("a", e.Input));
    }
}
