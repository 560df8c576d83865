using DeepLanguageNetworks.OpenAI.Tests;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.Caching.Redis.Tests;

/// <summary>The Redis store against a real redis-server: sharing, key layout, and what happens when Redis goes away.</summary>
public sealed class RedisCacheStoreTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_connections_share_responses_bit_exact_and_each_response_is_one_hash_under_the_prefix()
    {
        await using var redis = await RedisServer.StartAsync();
        using var storeA = RedisCacheStore.Connect(redis.Url, RedisServer.GenerousTimeouts);
        using var storeB = RedisCacheStore.Connect(redis.Configuration, RedisServer.GenerousTimeouts);
        var backendA = new IdentityModel("m");
        var backendB = new IdentityModel("m");
        using var machineA = backendA.AsBuilder().UseCache(storeA).Build();
        using var machineB = backendB.AsBuilder().UseCache(storeB).Build();
        var generation = new GenerationRequest("Say hi") { Temperature = 0.7, SampleIndex = 2, IncludeLogProbabilities = true };
        var next = new NextTokenRequest("The answer is", 5);
        var continuation = new ContinuationRequest("The answer is", " yes");

        var a = (await machineA.GenerateAsync(generation), await machineA.GetNextTokenLogProbabilitiesAsync(next), await machineA.ScoreContinuationAsync(continuation));
        var b = (await machineB.GenerateAsync(generation), await machineB.GetNextTokenLogProbabilitiesAsync(next), await machineB.ScoreContinuationAsync(continuation));

        Assert.Equal(3, backendA.Calls);
        Assert.Equal(0, backendB.Calls);
        Assert.True(b.Item1.FromCache && b.Item2.FromCache && b.Item3.FromCache);
        Assert.Equal(a.Item1.Text, b.Item1.Text);
        Assert.Equal(a.Item1.TokenLogProbabilities!.Select(t => BitConverter.DoubleToInt64Bits(t.LogProbability)), b.Item1.TokenLogProbabilities!.Select(t => BitConverter.DoubleToInt64Bits(t.LogProbability)));
        Assert.Equal(a.Item2.TopTokens, b.Item2.TopTokens);
        Assert.Equal(a.Item3.Tokens, b.Item3.Tokens);
        Assert.Equal(a.Item1.Usage, b.Item1.Usage);

        var contents = await RedisContents.ReadAllAsync(redis);
        Assert.Equal(
            new[] { LanguageModelCacheKey.For(backendA.Metadata, generation), LanguageModelCacheKey.For(backendA.Metadata, next), LanguageModelCacheKey.For(backendA.Metadata, continuation) }
                .Select(k => "dln:" + k).Order(),
            contents.Select(e => e.KeyText).Order());
        Assert.All(contents, e => Assert.Equal(StackExchange.Redis.RedisType.Hash, e.Type));
        Assert.True(storeA.IsConnected && storeA.IsAvailable);
        Assert.Equal($"127.0.0.1:{redis.Port}", storeA.Endpoint);
    }

    [Fact]
    public async Task Keys_of_different_models_operations_and_sample_indices_never_collide()
    {
        await using var redis = await RedisServer.StartAsync();
        var requests = new List<object>();
        foreach (var text in new[] { "Number: 7", "Number: 8" })
        {
            // The same text as a generation prompt, a next-token context and a continuation context.
            requests.AddRange(Enumerable.Range(0, 5).Select(i => (object)new GenerationRequest(text) { Temperature = 0.7, SampleIndex = i }));
            requests.Add(new GenerationRequest(text));
            requests.Add(new GenerationRequest(text) { IncludeLogProbabilities = true });
            requests.Add(new GenerationRequest(text) { Temperature = 0.7, Seed = 3 });
            requests.Add(new GenerationRequest(text) { MaxTokens = 16 });
            requests.Add(new NextTokenRequest(text, 5));
            requests.Add(new NextTokenRequest(text, 10));
            requests.Add(new ContinuationRequest(text, " yes"));
            requests.Add(new ContinuationRequest(text, " no"));
        }

        string[] models = ["model-a", "model-b"];
        using (var store = RedisCacheStore.Connect(redis.Url, RedisServer.GenerousTimeouts))
        {
            foreach (var id in models)
            {
                var backend = new IdentityModel(id);
                using var cached = backend.AsBuilder().UseCache(store).Build();
                foreach (var request in requests)
                {
                    await CallAsync(cached, request);
                }

                Assert.Equal(requests.Count, backend.Calls);
            }
        }

        var keys = (await RedisContents.ReadAllAsync(redis)).Select(e => e.KeyText).ToArray();
        Assert.Equal(models.Length * requests.Count, keys.Length);
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k => Assert.Matches("^dln:[0-9a-f]{64}$", k));

        // A fresh process with no backend at all: every request gets back the response stored for it, and no other.
        using var reader = RedisCacheStore.Connect(redis.Url, RedisServer.GenerousTimeouts);
        foreach (var id in models)
        {
            using var cached = new NoBackend(id).AsBuilder().UseCache(reader).Build();
            foreach (var request in requests)
            {
                var (text, fromCache) = await CallAsync(cached, request);
                Assert.True(fromCache);
                Assert.Equal(Expected(id, request), text);
            }
        }
    }

    [Fact]
    public async Task A_password_protected_Redis_is_reached_through_a_URL_and_a_wrong_password_degrades_with_one_warning_that_shows_no_password()
    {
        const string Password = "s3cret-REDIS-pw/42";
        const string WrongPassword = "wrong-REDIS-pw-77";
        await using var redis = await RedisServer.StartAsync(Password);
        using (var store = RedisCacheStore.Connect(redis.Url))
        {
            await store.SetAsync("k", [1, 2, 3]);
            Assert.Equal([1, 2, 3], await store.TryGetAsync("k"));
        }

        var logger = new CapturingLogger();
        using var wrong = RedisCacheStore.Connect($"redis://:{WrongPassword}@127.0.0.1:{redis.Port}", logger: logger);
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await wrong.TryGetAsync("k").AsTask().WaitAsync(Bound));
            await wrong.SetAsync("other", [4]).AsTask().WaitAsync(Bound);
        }

        Assert.False(wrong.IsAvailable);
        var warning = Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LanguageModelLogEvents.CacheStoreUnavailable, warning.EventId.Id);
        Assert.Contains($"Redis at 127.0.0.1:{redis.Port}", warning.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, logger.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Redis_that_is_down_at_start_costs_one_warning_and_every_call_still_reaches_the_backend()
    {
        int port;
        await using (var redis = await RedisServer.StartAsync())
        {
            port = redis.Port; // a port where a Redis was, and is no longer
        }

        var logger = new CapturingLogger();
        using var store = RedisCacheStore.Connect($"redis://127.0.0.1:{port}", logger: logger);
        var backend = new IdentityModel("m");
        using var cached = backend.AsBuilder().UseCache(store).Build();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => cached.GenerateAsync(new GenerationRequest($"prompt {i}"))).ToArray()).WaitAsync(Bound);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => IdentityModel.Answer("m", new GenerationRequest($"prompt {i}"))), answers.Select(a => a.Text));
        Assert.All(answers, a => Assert.False(a.FromCache));
        Assert.Equal(20, backend.Calls);
        Assert.False(store.IsConnected);
        Assert.False(store.IsAvailable);
        Assert.Equal(LanguageModelLogEvents.CacheStoreUnavailable, Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning).EventId.Id);
    }

    [Fact]
    public async Task A_killed_Redis_switches_the_store_off_with_one_warning_and_a_restarted_one_is_used_again()
    {
        await using var redis = await RedisServer.StartAsync();
        var logger = new CapturingLogger();
        using var store = RedisCacheStore.Connect(redis.Url, new RedisCacheStoreOptions { RetryInterval = TimeSpan.FromMilliseconds(200) }, logger);
        await store.SetAsync("before", [1]);
        Assert.Equal([1], await store.TryGetAsync("before"));

        redis.Kill();
        for (var i = 0; i < 50; i++)
        {
            Assert.Null(await store.TryGetAsync("before").AsTask().WaitAsync(Bound));
            await store.SetAsync($"during-{i}", [2]).AsTask().WaitAsync(Bound);
        }

        Assert.False(store.IsAvailable);
        Assert.Equal(LanguageModelLogEvents.CacheStoreUnavailable, Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning).EventId.Id);

        // Back, empty (it saves nothing): once the connection is up again, the next try after the interval uses it.
        await redis.RestartAsync();
        await WaitUntilAsync(async () =>
        {
            await store.SetAsync("after", [3]);
            return store.IsAvailable;
        });
        Assert.Equal([3], await store.TryGetAsync("after"));
        Assert.Null(await store.TryGetAsync("before"));
        Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LanguageModelLogEvents.CacheStoreRestored, Assert.Single(logger.Entries, e => e.Level == LogLevel.Information).EventId.Id);
    }

    [Fact]
    public async Task A_hung_Redis_makes_an_operation_give_up_after_its_timeout_once_then_calls_skip_it()
    {
        await using var redis = await RedisServer.StartAsync();
        var logger = new CapturingLogger();
        using var store = RedisCacheStore.Connect(redis.Url, new RedisCacheStoreOptions
        {
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            RetryInterval = TimeSpan.FromMilliseconds(200),
        }, logger);
        await store.SetAsync("k", [1]);

        redis.Pause();
        try
        {
            Assert.Null(await store.TryGetAsync("k").AsTask().WaitAsync(Bound));
            Assert.False(store.IsAvailable);
            for (var i = 0; i < 20; i++)
            {
                Assert.Null(await store.TryGetAsync("k").AsTask().WaitAsync(Bound));
            }

            Assert.Equal(LanguageModelLogEvents.CacheStoreUnavailable, Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning).EventId.Id);
        }
        finally
        {
            redis.Resume();
        }

        await WaitUntilAsync(async () => await store.TryGetAsync("k") is not null);
        Assert.True(store.IsAvailable);
        Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");
            await Task.Delay(50);
        }
    }

    private static async Task<(string Text, bool FromCache)> CallAsync(ILanguageModel model, object request) => request switch
    {
        GenerationRequest g => await model.GenerateAsync(g) is var r ? (r.Text, r.FromCache) : default,
        NextTokenRequest n => await model.GetNextTokenLogProbabilitiesAsync(n) is var r ? (r.TopTokens[0].Token, r.FromCache) : default,
        ContinuationRequest c => await model.ScoreContinuationAsync(c) is var r ? (r.Tokens[0].Token, r.FromCache) : default,
        _ => throw new ArgumentException("not a request", nameof(request)),
    };

    private static string Expected(string modelId, object request) => request switch
    {
        GenerationRequest g => IdentityModel.Answer(modelId, g),
        NextTokenRequest n => IdentityModel.Answer(modelId, n),
        ContinuationRequest c => IdentityModel.Answer(modelId, c),
        _ => throw new ArgumentException("not a request", nameof(request)),
    };

    // Metadata of a model that is never reached: every answer must come from the cache.
    private sealed class NoBackend(string modelId) : ILanguageModel
    {
        public LanguageModelMetadata Metadata { get; } = new IdentityModel(modelId).Metadata;

        public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default) => throw Unreachable();

        public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) => throw Unreachable();

        public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) => throw Unreachable();

        public void Dispose()
        {
        }

        private static InvalidOperationException Unreachable() => new("The backend was called: the cache should have answered.");
    }
}
