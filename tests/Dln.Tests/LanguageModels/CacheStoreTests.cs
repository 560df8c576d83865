using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DeepLanguageNetworks.Tests;

public class CacheStoreTests
{
    [Fact]
    public async Task In_memory_store_with_a_cap_evicts_the_oldest_entries()
    {
        var store = new InMemoryCacheStore(maxEntries: 2);
        await store.SetAsync("a", [1]);
        await store.SetAsync("b", [2]);
        await store.SetAsync("a", [3]); // an update is not a new entry
        await store.SetAsync("c", [4]);

        Assert.Equal(2, store.Count);
        Assert.Null(await store.TryGetAsync("a"));
        Assert.Equal([2], await store.TryGetAsync("b"));
        Assert.Equal([4], await store.TryGetAsync("c"));
    }

    [Fact]
    public void In_memory_store_rejects_a_cap_that_is_not_positive()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryCacheStore(0));
        Assert.Equal("maxEntries", ex.ParamName);
    }

    [Fact]
    public async Task Two_machines_share_responses_through_a_distributed_cache()
    {
        IDistributedCache shared = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var backendA = new CountingLanguageModel();
        var backendB = new CountingLanguageModel();
        using var machineA = backendA.AsBuilder().UseCache(shared).Build();
        using var machineB = backendB.AsBuilder().UseCache(shared).Build();
        var request = new NextTokenRequest("The answer is", 5);

        var fromA = await machineA.GetNextTokenLogProbabilitiesAsync(request);
        var fromB = await machineB.GetNextTokenLogProbabilitiesAsync(request);

        Assert.Equal(1, backendA.Started);
        Assert.Equal(0, backendB.Started);
        Assert.True(fromB.FromCache);
        CachingLanguageModelTests.AssertBitExact(fromA.TopTokens, fromB.TopTokens);
        Assert.NotNull(await shared.GetAsync("dln:" + LanguageModelCacheKey.For(backendA.Metadata, request)));
    }

    [Fact]
    public async Task Tiered_store_copies_a_back_store_hit_to_the_front_and_writes_both()
    {
        var front = new InMemoryCacheStore();
        var back = new InMemoryCacheStore();
        using var tiered = new TieredCacheStore(front, back);
        await back.SetAsync("old", [1]);

        Assert.Equal([1], await tiered.TryGetAsync("old"));
        Assert.Equal([1], await front.TryGetAsync("old"));

        await tiered.SetAsync("new", [2]);
        Assert.Equal([2], await front.TryGetAsync("new"));
        Assert.Equal([2], await back.TryGetAsync("new"));
        Assert.Null(await tiered.TryGetAsync("missing"));
    }
}
