using DeepLanguageNetworks.Benchmarks;

// Each benchmark is a command in its own class; this file only dispatches.
var command = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
return command switch
{
    "scoring" => await ScoringBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    "iteration" => await IterationBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    "racing" => await RacingBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    "cache-outage" => await CacheOutageBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Dln.Benchmarks -- <command> [--name value ...]");
    Console.Error.WriteLine("commands:");
    Console.Error.WriteLine("  scoring   scores candidate prompts x examples on a local GGUF model three ways (one at a time, batched,");
    Console.Error.WriteLine("            batched with prefix reuse) and prints their throughput and the speedup");
    Console.Error.WriteLine("            options: --prompts 20 --examples 20 --repeat 3 --threads <cores> --batch <tokens> --model <path.gguf>");
    Console.Error.WriteLine("  iteration one DLN-1 and one DLN-2 training iteration against a simulated 50 ms backend with 16 calls in");
    Console.Error.WriteLine("            flight: calls, tokens, wall time, throughput bound, efficiency; CPU time per call; warm-cache calls");
    Console.Error.WriteLine("            options: --latency-ms 50");
    Console.Error.WriteLine("  racing    faithful and racing DLN-1 and DLN-2 on the learnable simulated backend over several seeds: training");
    Console.Error.WriteLine("            calls, best dev and test accuracy; calls ratio and accuracy delta (racing against faithful)");
    Console.Error.WriteLine("            options: --seeds 10 --iterations 20 --first-slice 0.2 --keep 0.5 --growth 2");
    Console.Error.WriteLine("  cache-outage  the cost of a Redis cache (a real redis-server on 127.0.0.1) per lookup and per cached call");
    Console.Error.WriteLine("            while healthy, killed, down from the start and hung; needs redis-server (apt-get install -y redis-server)");
    Console.Error.WriteLine("            options: --operations 20000");
    return 2;
}
