using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace DeepLanguageNetworks.Tests;

/// <summary>
/// How <see cref="DistributedCacheStore"/> behaves when its cache fails or hangs, on a scripted cache and a fake clock
/// (the same behaviour against a real Redis is tested in Dln.Caching.Redis.Tests).
/// </summary>
public sealed class DistributedCacheStoreTests
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_failing_cache_logs_one_warning_and_is_skipped_until_the_retry_interval_has_passed()
    {
        var clock = new FakeTimeProvider();
        var cache = new ScriptedCache { Failing = true };
        var logs = new CapturingLoggerFactory();
        var store = Store(cache, clock, logs);

        Assert.Null(await store.TryGetAsync("a"));
        Assert.False(store.IsAvailable);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(await store.TryGetAsync("a"));
            await store.SetAsync("a", [1]);
        }

        Assert.Equal(1, cache.Operations); // switched off: nothing more was sent
        clock.Advance(RetryInterval - TimeSpan.FromSeconds(1));
        Assert.Null(await store.TryGetAsync("a"));
        Assert.Equal(1, cache.Operations);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await store.TryGetAsync("a")); // the retry, still failing: off for another interval
        Assert.Equal(2, cache.Operations);
        Assert.Null(await store.TryGetAsync("a"));
        Assert.Equal(2, cache.Operations);

        var warning = Assert.Single(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LanguageModelLogEvents.CacheStoreUnavailable, warning.EventId.Id);
        Assert.Contains("ScriptedCache", warning.Message, StringComparison.Ordinal);
        Assert.Contains("IOException: the cache is down", warning.Message, StringComparison.Ordinal);
        Assert.Equal(2, logs.Entries.Count(e => e.Level == LogLevel.Debug && e.Exception is IOException));
    }

    [Fact]
    public async Task After_the_interval_one_operation_tries_the_cache_and_its_success_puts_the_store_back_in_use()
    {
        var clock = new FakeTimeProvider();
        var cache = new ScriptedCache { Failing = true };
        var logs = new CapturingLoggerFactory();
        var store = Store(cache, clock, logs);
        await store.SetAsync("a", [1]);
        await store.SetAsync("b", [2]);

        cache.Failing = false;
        clock.Advance(RetryInterval);
        await store.SetAsync("a", [3]);

        Assert.True(store.IsAvailable);
        Assert.Equal([3], await store.TryGetAsync("a"));
        Assert.Null(await store.TryGetAsync("b")); // dropped while the store was off
        var restored = Assert.Single(logs.Entries, e => e.Level == LogLevel.Information);
        Assert.Equal(LanguageModelLogEvents.CacheStoreRestored, restored.EventId.Id);
        Assert.Contains("1 lookups and writes went without it", restored.Message, StringComparison.Ordinal);

        // A new outage is a new warning.
        cache.Failing = true;
        await store.SetAsync("c", [4]);
        Assert.Equal(2, logs.Entries.Count(e => e.Level >= LogLevel.Warning));
    }

    [Fact]
    public async Task A_hanging_cache_times_out_once_and_while_one_retry_is_in_flight_the_other_operations_skip_the_cache()
    {
        var clock = new FakeTimeProvider();
        var cache = new ScriptedCache { Hanging = true };
        var logs = new CapturingLoggerFactory();
        var store = Store(cache, clock, logs, TimeSpan.FromSeconds(2));

        var first = store.TryGetAsync("a").AsTask();
        Assert.False(first.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await first);
        Assert.False(store.IsAvailable);
        Assert.Contains("TimeoutException", Assert.Single(logs.Entries, e => e.Level >= LogLevel.Warning).Message, StringComparison.Ordinal);

        clock.Advance(RetryInterval);
        var retry = store.TryGetAsync("a").AsTask();
        Assert.False(retry.IsCompleted);
        Assert.Null(await store.TryGetAsync("b")); // skipped at once: one retry at a time
        await store.SetAsync("b", [1]);
        Assert.Equal(2, cache.Operations);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await retry);
        Assert.Single(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_passed_on_and_does_not_switch_the_store_off()
    {
        var cache = new ScriptedCache { Hanging = true };
        var logs = new CapturingLoggerFactory();
        var store = Store(cache, new FakeTimeProvider(), logs, TimeSpan.FromSeconds(2));
        using var cancellation = new CancellationTokenSource();

        var lookup = store.TryGetAsync("a", cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lookup);
        Assert.True(store.IsAvailable);
        Assert.Empty(logs.Entries);
    }

    [Fact]
    public async Task A_failing_store_never_fails_a_cached_call_and_the_cache_decorator_logs_nothing_more()
    {
        var cache = new ScriptedCache { Failing = true };
        var logs = new CapturingLoggerFactory();
        var store = Store(cache, new FakeTimeProvider(), logs);
        var backend = new CountingLanguageModel();
        using var model = backend.AsBuilder().UseCache(store, loggerFactory: logs).Build();

        for (var i = 0; i < 5; i++)
        {
            Assert.False((await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest($"q{i}", 5))).FromCache);
        }

        Assert.Equal(5, backend.Started);
        Assert.Single(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public void Options_out_of_range_are_refused_with_their_name()
    {
        var cache = new ScriptedCache();
        Assert.Equal("OperationTimeout", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DistributedCacheStore(cache, new DistributedCacheStoreOptions { OperationTimeout = TimeSpan.Zero })).ParamName);
        Assert.Equal("RetryInterval", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DistributedCacheStore(cache, new DistributedCacheStoreOptions { RetryInterval = TimeSpan.FromSeconds(-1) })).ParamName);
        Assert.Equal("KeyPrefix", Assert.Throws<ArgumentException>(() =>
            new DistributedCacheStore(cache, new DistributedCacheStoreOptions { KeyPrefix = null! })).ParamName);
        _ = new DistributedCacheStore(cache, new DistributedCacheStoreOptions { OperationTimeout = Timeout.InfiniteTimeSpan, RetryInterval = TimeSpan.Zero });
    }

    private static DistributedCacheStore Store(ScriptedCache cache, TimeProvider clock, CapturingLoggerFactory logs, TimeSpan? timeout = null) =>
        new(cache, new DistributedCacheStoreOptions
        {
            RetryInterval = RetryInterval,
            OperationTimeout = timeout ?? TimeSpan.FromSeconds(5),
            TimeProvider = clock,
        }, logs.CreateLogger<DistributedCacheStore>());

    // A distributed cache that stores in memory, or fails every operation, or never answers.
    private sealed class ScriptedCache : IDistributedCache
    {
        private readonly Dictionary<string, byte[]> _entries = [];
        private int _operations;

        public bool Failing { get; set; }

        public bool Hanging { get; set; }

        public int Operations => Volatile.Read(ref _operations);

        public byte[]? Get(string key) => throw new NotSupportedException();

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
            Run(() =>
            {
                lock (_entries)
                {
                    return _entries.GetValueOrDefault(key);
                }
            });

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException();

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
            Run<object?>(() =>
            {
                lock (_entries)
                {
                    _entries[key] = value;
                }

                return null;
            });

        public void Refresh(string key) => throw new NotSupportedException();

        public Task RefreshAsync(string key, CancellationToken token = default) => throw new NotSupportedException();

        public void Remove(string key) => throw new NotSupportedException();

        public Task RemoveAsync(string key, CancellationToken token = default) => throw new NotSupportedException();

        private Task<T> Run<T>(Func<T> operation)
        {
            Interlocked.Increment(ref _operations);
            if (Hanging)
            {
                return new TaskCompletionSource<T>().Task;
            }

            return Failing ? Task.FromException<T>(new IOException("the cache is down")) : Task.FromResult(operation());
        }
    }
}
