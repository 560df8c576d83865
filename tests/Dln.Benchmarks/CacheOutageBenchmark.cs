using System.Diagnostics;
using System.Globalization;
using DeepLanguageNetworks.Caching.Redis;
using DeepLanguageNetworks.Caching.Redis.Tests;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.Benchmarks;

/// <summary>
/// What a Redis that goes away costs a training run, against a real redis-server on 127.0.0.1 (the Debian package):
/// the time of one cache lookup, and of one cached call through <see cref="CachingLanguageModel"/> over a backend that
/// answers at once, while Redis is healthy, killed, down from the start, or hung (SIGSTOP); with the store's default
/// settings (2 s connect and operation timeouts, 30 s retry interval) unless said otherwise.
/// </summary>
internal static class CacheOutageBenchmark
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var operations = arguments.GetInt("operations", 20_000);
        var logger = new ConsoleWarnings();
        Console.WriteLine($"redis-server: {RedisServer.FindExecutable() ?? "not installed (apt-get install -y redis-server)"}; {operations:N0} operations per figure");

        await using (var redis = await RedisServer.StartAsync())
        {
            using var store = RedisCacheStore.Connect(redis.Url, logger: logger);
            await store.SetAsync("warm", [1]);
            Report("healthy: lookup (hit)", await PerOperationAsync(operations / 10, () => store.TryGetAsync("warm")));
            Report("healthy: cached call (hit)", await PerCallAsync(store, operations / 10, hits: true));
            Report("healthy: cached call (miss + store)", await PerCallAsync(store, operations / 10, hits: false));

            redis.Kill();
            Report("killed: first lookup after the kill", await TimeAsync(() => store.TryGetAsync("warm")), single: true);
            Report("killed: lookup, store switched off", await PerOperationAsync(operations, () => store.TryGetAsync("warm")));
            Report("killed: cached call, store switched off", await PerCallAsync(store, operations, hits: false));
        }

        await using (var redis = await RedisServer.StartAsync())
        {
            // A probe every 100 ms: what the retry costs against a server that is gone.
            using var store = RedisCacheStore.Connect(redis.Url, new RedisCacheStoreOptions { RetryInterval = TimeSpan.FromMilliseconds(100) }, logger);
            await store.SetAsync("warm", [1]);
            redis.Kill();
            await store.TryGetAsync("warm");
            var probes = new List<TimeSpan>();
            for (var i = 0; i < 5; i++)
            {
                await Task.Delay(150);
                probes.Add(await TimeAsync(() => store.TryGetAsync("warm")));
            }

            Report("killed: retry after the interval (probe)", probes.Average(p => p.TotalMicroseconds), single: true);
        }

        int closedPort;
        await using (var gone = await RedisServer.StartAsync())
        {
            closedPort = gone.Port;
        }

        var connect = Stopwatch.StartNew();
        using (var store = RedisCacheStore.Connect($"redis://127.0.0.1:{closedPort}", logger: logger))
        {
            connect.Stop();
            Report("down at start: Connect", connect.Elapsed.TotalMicroseconds, single: true);
            Report("down at start: first lookup", await TimeAsync(() => store.TryGetAsync("warm")), single: true);
            Report("down at start: lookup, store switched off", await PerOperationAsync(operations, () => store.TryGetAsync("warm")));
        }

        await using (var redis = await RedisServer.StartAsync())
        {
            using var store = RedisCacheStore.Connect(redis.Url, logger: logger);
            await store.SetAsync("warm", [1]);
            redis.Pause();
            try
            {
                Report("hung (SIGSTOP): first lookup (waits for the operation timeout)", await TimeAsync(() => store.TryGetAsync("warm")), single: true);
                Report("hung (SIGSTOP): lookup, store switched off", await PerOperationAsync(operations, () => store.TryGetAsync("warm")));
            }
            finally
            {
                redis.Resume();
            }
        }

        Report("for comparison: cached call (miss + store) on an in-memory store", await PerCallAsync(new InMemoryCacheStore(), operations, hits: false));

        Console.WriteLine($"warnings logged: {logger.Warnings} (one per outage: killed, probe run, down at start, hung)");
        return 0;
    }

    private static void Report(string what, double microseconds, bool single = false) =>
        Console.WriteLine(string.Format(C, "{0,-70} {1,12:N1} µs{2}", what, microseconds, single ? " (one operation)" : " per operation (mean)"));

    private static void Report(string what, TimeSpan elapsed, bool single) => Report(what, elapsed.TotalMicroseconds, single);

    private static async Task<TimeSpan> TimeAsync(Func<ValueTask<byte[]?>> operation)
    {
        var clock = Stopwatch.StartNew();
        await operation();
        return clock.Elapsed;
    }

    private static async Task<double> PerOperationAsync(int count, Func<ValueTask<byte[]?>> operation)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await operation();
        }

        return clock.Elapsed.TotalMicroseconds / count;
    }

    // One generation call per iteration through the cache decorator, over a backend that answers at once: the
    // library's whole cost per call (key hashing, serialisation, the store), with distinct prompts (misses) or one
    // prompt (hits).
    private static async Task<double> PerCallAsync(ILanguageModelCacheStore store, int count, bool hits)
    {
        using var model = new InstantModel().AsBuilder().UseCache(store).Build();
        var run = Guid.NewGuid().ToString("N");
        await model.GenerateAsync(new GenerationRequest($"{run} warm-up"));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await model.GenerateAsync(new GenerationRequest(hits ? $"{run} warm-up" : $"{run} prompt {i}"));
        }

        return clock.Elapsed.TotalMicroseconds / count;
    }

    private sealed class InstantModel : ILanguageModel
    {
        public LanguageModelMetadata Metadata { get; } = new("bench", "instant", new LanguageModelCapabilities { Deterministic = true });

        public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GenerationResponse("yes", new LanguageModelUsage(10, 1)) { FinishReason = FinishReason.Stop });

        public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public void Dispose()
        {
        }
    }

    // Prints the store's warnings as they come, so that the figures can be read next to them.
    private sealed class ConsoleWarnings : ILogger
    {
        private int _warnings;

        public int Warnings => Volatile.Read(ref _warnings);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Information)
            {
                return;
            }

            if (logLevel >= LogLevel.Warning)
            {
                Interlocked.Increment(ref _warnings);
            }

            Console.WriteLine($"  [{logLevel} {eventId.Id}] {formatter(state, exception)}");
        }
    }
}
