using System.Diagnostics;
using System.Globalization;

namespace DeepLanguageNetworks.Benchmarks;

/// <summary>
/// Measures how close one training iteration gets to the throughput bound of a rate-limited hosted endpoint: every call
/// takes 50 ms and 16 may be in flight, so n calls cannot take less than n × 50 ms / 16. Also measures the library's own
/// CPU time per call (zero-latency backend) and the backend calls of a rerun against a warm persistent cache.
/// </summary>
internal static class IterationBenchmark
{
    private const int Concurrency = 16;

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var latency = TimeSpan.FromMilliseconds(arguments.GetInt("latency-ms", 50));
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c, "simulated backend: {0} ms per call, {1} calls in flight", latency.TotalMilliseconds, Concurrency));

        // Warm up the JIT so that the first measured run is not charged for compilation.
        await RunIterationAsync(Scenario.Dln1, TimeSpan.Zero, cacheStore: null);

        var efficiencies = new List<double>();
        foreach (var scenario in new[] { Scenario.Dln1, Scenario.Dln2 })
        {
            var run = await RunIterationAsync(scenario, latency, cacheStore: null);
            var bound = TimeSpan.FromMilliseconds(run.BackendCalls * latency.TotalMilliseconds / Concurrency);
            var efficiency = bound / run.Wall;
            efficiencies.Add(efficiency);
            Console.WriteLine(string.Format(c,
                "{0}: calls {1:N0} (+{2:N0} served by the cache), tokens {3:N0}, wall {4:F2} s, bound {5:F2} s, efficiency {6:F2}",
                scenario.Name, run.BackendCalls, run.CacheHits, run.Tokens, run.Wall.TotalSeconds, bound.TotalSeconds, efficiency));
        }

        // CPU per call: the same iterations on a backend that answers at once; the process's CPU time over all requests.
        var cpu = TimeSpan.Zero;
        long requests = 0;
        for (var i = 0; i < 3; i++)
        {
            foreach (var scenario in new[] { Scenario.Dln1, Scenario.Dln2 })
            {
                var run = await RunIterationAsync(scenario, TimeSpan.Zero, cacheStore: null);
                cpu += run.Cpu;
                requests += run.BackendCalls + run.CacheHits;
            }
        }

        Console.WriteLine(string.Format(c, "library CPU time per call: {0:F1} µs ({1:N0} calls, zero-latency backend)", cpu.TotalMicroseconds / requests, requests));

        // Warm persistent cache: run both iterations against a SQLite cache, then again with a new store on the same file.
        var path = Path.Combine(Path.GetTempPath(), $"dln-bench-{Guid.NewGuid():N}.db");
        try
        {
            long warmCalls = 0;
            foreach (var scenario in new[] { Scenario.Dln1, Scenario.Dln2 })
            {
                using (var store = new SqliteCacheStore(path))
                {
                    await RunIterationAsync(scenario, TimeSpan.Zero, store);
                }

                using (var store = new SqliteCacheStore(path))
                {
                    warmCalls += (await RunIterationAsync(scenario, TimeSpan.Zero, store)).BackendCalls;
                }
            }

            Console.WriteLine($"warm-cache calls: {warmCalls}");
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }

        Console.WriteLine(string.Format(c, "efficiency: {0:F2}", efficiencies.Min()));
        return 0;
    }

    private static async Task<RunFigures> RunIterationAsync(Scenario scenario, TimeSpan latency, ILanguageModelCacheStore? cacheStore)
    {
        using var backend = new SimulatedLatencyModel(latency);
        var outputSpace = OutputSpace.FromClasses("yes|Yes", "no|No");
        var network = scenario.Depth == 1
            ? Dln.CreateOneLayer(backend, "Answer the question about the number.", outputSpace)
            : Dln.CreateTwoLayer(backend, string.Empty, "Answer the question about the number.", outputSpace);
        var examples = Enumerable.Range(0, 240)
            .Select(i => new Example($"Is the number {i * 7919 % 1000} greater than 500?\nOptions:\n- yes\n- no", i * 7919 % 1000 > 500 ? "yes" : "no"))
            .ToArray();
        var options = scenario.Options with { Iterations = 1, EvaluateBeforeTraining = false };
        var trainer = new VariationalTrainer(backend, options, new TrainingRunOptions { MaxConcurrency = Concurrency, CacheStore = cacheStore });
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var result = await trainer.TrainAsync(network, examples[..200], examples[200..216]);
        stopwatch.Stop();
        process.Refresh();
        var usage = result.Usage.Total;
        return new RunFigures(backend.Calls, usage.CacheHits, usage.TotalTokens, stopwatch.Elapsed, process.TotalProcessorTime - cpuBefore);
    }

    private sealed record Scenario(string Name, int Depth, VariationalTrainerOptions Options)
    {
        // The published settings: DLN-1 batch 20 with 20 candidates; DLN-2 batch 10, 10 candidates, 5 hidden samples.
        public static Scenario Dln1 { get; } = new("DLN-1 iteration (batch 20, 20 candidates)", 1, VariationalTrainerOptions.Dln1);

        public static Scenario Dln2 { get; } = new("DLN-2 iteration (batch 10, 10 candidates, 5 hidden samples)", 2, VariationalTrainerOptions.Dln2);
    }

    private sealed record RunFigures(long BackendCalls, long CacheHits, long Tokens, TimeSpan Wall, TimeSpan Cpu);
}
