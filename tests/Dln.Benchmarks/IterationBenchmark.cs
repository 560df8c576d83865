using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace DeepLanguageNetworks.Benchmarks;

/// <summary>
/// Measures how close one training iteration gets to the throughput bound of a rate-limited hosted endpoint: 16 calls
/// may be in flight and each takes 50 ms, so n calls cannot take less than their latencies' sum ÷ 16. Also prints what
/// the run's call log recorded (the backend's latency and, apart, the queue before the concurrency limit), how far the
/// dry-run estimate is from the calls made, the library's own CPU time per call (zero-latency backend) and the backend
/// calls of a rerun against a warm persistent cache.
/// </summary>
/// <remarks>
/// The bound uses the latency the backend really had: a timer set for 50 ms fires a little late (more on a loaded
/// machine), and that is the server's time, not the trainer's idle slots. The nominal bound (n × 50 ms ÷ 16) is printed
/// beside it.
/// </remarks>
internal static class IterationBenchmark
{
    private const int Concurrency = 16;

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var latency = TimeSpan.FromMilliseconds(arguments.GetInt("latency-ms", 50));
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c, "simulated backend: {0} ms per call, {1} calls in flight", latency.TotalMilliseconds, Concurrency));

        // Warm up the JIT and the timers so that the first measured run is not charged for them.
        await RunIterationAsync(Scenario.Dln1, TimeSpan.FromMilliseconds(1), cacheStore: null);
        await RunIterationAsync(Scenario.Dln2, TimeSpan.FromMilliseconds(1), cacheStore: null);

        var efficiencies = new List<double>();
        var estimateErrors = new List<double>();
        foreach (var scenario in new[] { Scenario.Dln1, Scenario.Dln2, Scenario.Dln1Racing, Scenario.Dln2Racing })
        {
            var run = await RunIterationAsync(scenario, latency, cacheStore: null);

            // The call log on, in a run of its own: writing a line per call is work the efficiency run leaves out.
            var logged = await RunIterationAsync(scenario, latency, cacheStore: null, logCalls: true);
            var bound = run.BackendTime / Concurrency;
            var nominal = TimeSpan.FromMilliseconds(run.BackendCalls * latency.TotalMilliseconds / Concurrency);
            var efficiency = bound / run.Wall;
            var error = Math.Abs(run.EstimatedCalls - run.BackendCalls) / (double)run.BackendCalls;
            estimateErrors.Add(error);
            if (!scenario.Racing)
            {
                efficiencies.Add(efficiency);
            }

            Console.WriteLine(string.Format(c,
                "{0}: calls {1:N0} (+{2:N0} served by the cache), tokens {3:N0}, wall {4:F2} s, bound {5:F2} s (nominal {6:F2} s), efficiency {7:F2}",
                scenario.Name, run.BackendCalls, run.CacheHits, run.Tokens, run.Wall.TotalSeconds, bound.TotalSeconds, nominal.TotalSeconds, efficiency));
            Console.WriteLine(string.Format(c,
                "  call log: median latency {0:F1} ms, median queue {1:F1} ms; estimate {2:N0} calls (at most {3:N0}), error {4:P1}",
                logged.MedianLatencyMs, logged.MedianQueueMs, run.EstimatedCalls, run.MaxCalls, error));
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
        Console.WriteLine(string.Format(c, "estimate error: {0:F2}", estimateErrors.Max()));
        return 0;
    }

    private static async Task<RunFigures> RunIterationAsync(Scenario scenario, TimeSpan latency, ILanguageModelCacheStore? cacheStore, bool logCalls = false)
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
        var folder = logCalls ? Path.Combine(Path.GetTempPath(), $"dln-bench-run-{Guid.NewGuid():N}") : null;
        try
        {
            var trainer = new VariationalTrainer(backend, options, new TrainingRunOptions { MaxConcurrency = Concurrency, CacheStore = cacheStore, RunDirectory = folder, LogCalls = logCalls });
            var estimate = trainer.Estimate(network, examples[..200], examples[200..216]);
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            var result = await trainer.TrainAsync(network, examples[..200], examples[200..216]);
            stopwatch.Stop();
            process.Refresh();
            var usage = result.Usage.Total;
            var (latencyMs, queueMs) = folder is null ? (0.0, 0.0) : CallLogMedians(Path.Combine(folder, RunFolder.CallLogFileName));
            return new RunFigures(backend.Calls, usage.CacheHits, usage.TotalTokens, stopwatch.Elapsed, process.TotalProcessorTime - cpuBefore, backend.Busy,
                estimate.Calls, estimate.MaxCalls, latencyMs, queueMs);
        }
        finally
        {
            if (folder is not null && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The median latency and queue time of the calls the backend answered (cache hits apart), from calls.jsonl.</summary>
    private static (double LatencyMs, double QueueMs) CallLogMedians(string path)
    {
        var latencies = new List<double>();
        var queues = new List<double>();
        foreach (var line in File.ReadLines(path))
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            if (root.TryGetProperty("fromCache", out var hit) && hit.GetBoolean())
            {
                continue;
            }

            latencies.Add(root.GetProperty("latencyMs").GetDouble());
            queues.Add(root.TryGetProperty("queueMs", out var queue) && queue.ValueKind == JsonValueKind.Number ? queue.GetDouble() : 0);
        }

        static double Median(List<double> values) => values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);
        return (Median(latencies), Median(queues));
    }

    private sealed record Scenario(string Name, int Depth, VariationalTrainerOptions Options, bool Racing = false)
    {
        // The published settings: DLN-1 batch 20 with 20 candidates; DLN-2 batch 10, 10 candidates, 5 hidden samples.
        public static Scenario Dln1 { get; } = new("DLN-1 iteration (batch 20, 20 candidates)", 1, VariationalTrainerOptions.Dln1);

        public static Scenario Dln2 { get; } = new("DLN-2 iteration (batch 10, 10 candidates, 5 hidden samples)", 2, VariationalTrainerOptions.Dln2);

        public static Scenario Dln1Racing { get; } = new("DLN-1 iteration, candidate racing", 1, VariationalTrainerOptions.Dln1 with { CandidateRacing = new CandidateRacingOptions() }, Racing: true);

        public static Scenario Dln2Racing { get; } = new("DLN-2 iteration, candidate racing", 2, VariationalTrainerOptions.Dln2 with { CandidateRacing = new CandidateRacingOptions() }, Racing: true);
    }

    private sealed record RunFigures(long BackendCalls, long CacheHits, long Tokens, TimeSpan Wall, TimeSpan Cpu, TimeSpan BackendTime,
        long EstimatedCalls, long MaxCalls, double MedianLatencyMs, double MedianQueueMs);
}
