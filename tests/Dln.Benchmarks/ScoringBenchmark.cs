using System.Diagnostics;
using System.Globalization;
using DeepLanguageNetworks.LlamaSharp;

namespace DeepLanguageNetworks.Benchmarks;

/// <summary>
/// <c>scoring</c>: scores candidate prompts × examples × verbalizers on a local model three ways through the public
/// API of <see cref="LlamaSharpLanguageModel"/>: one sequence at a time, batched, and batched with prefix reuse, and
/// prints the throughput of each and the speedup of the best over the first.
/// </summary>
/// <remarks>
/// A whole-workload wall-clock measurement (after a warm-up pass, best of <c>--repeat</c> runs) rather than
/// BenchmarkDotNet: each run takes seconds, so BenchmarkDotNet's many iterations would add minutes and nothing else.
/// </remarks>
internal static class ScoringBenchmark
{
    private sealed record Mode(string Name, bool Batching, bool PrefixReuse);

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var promptCount = arguments.GetInt("prompts", 20);
        var exampleCount = arguments.GetInt("examples", 20);
        var repeat = arguments.GetInt("repeat", 3);
        var threads = arguments.GetInt("threads", Environment.ProcessorCount);
        int? batchSize = arguments.GetString("batch") is null ? null : arguments.GetInt("batch", 0);
        var modelPath = LlamaSharpLanguageModel.ResolveModelPath(arguments.GetString("model"));
        var requests = ScoringWorkload.Build(promptCount, exampleCount);

        Console.WriteLine($"scoring benchmark: {promptCount} prompts x {exampleCount} examples x {ScoringWorkload.Verbalizers.Length} verbalizers = {requests.Count} continuation scorings");
        Console.WriteLine($"model: {modelPath}; threads: {threads}; batch size: {batchSize?.ToString(CultureInfo.InvariantCulture) ?? "model default"}; best of {repeat} runs after a warm-up; .NET {Environment.Version}, {Environment.ProcessorCount} logical processors");

        Mode[] modes =
        [
            new("one at a time", Batching: false, PrefixReuse: false),
            new("batched", Batching: true, PrefixReuse: false),
            new("prefix reuse, unbatched", Batching: false, PrefixReuse: true),
            new("batched + prefix reuse", Batching: true, PrefixReuse: true),
        ];

        var throughputs = new List<double>();
        double[]? reference = null;
        foreach (var mode in modes)
        {
            var options = new LlamaSharpModelOptions
            {
                ModelPath = modelPath,
                Threads = threads,
                BatchSize = batchSize,
                EnableBatching = mode.Batching,
                EnablePrefixReuse = mode.PrefixReuse,
            };
            using var model = new LlamaSharpLanguageModel(options);
            if (mode == modes[0])
            {
                Console.WriteLine($"context size: {model.Options.ContextSize}; batch size: {model.Options.BatchSize} tokens, up to {model.Options.MaxSequencesPerBatch} sequences");
            }

            await ScoreAllAsync(model, requests.Take(Math.Min(requests.Count, 2 * model.Options.MaxSequencesPerBatch)).ToList());

            var best = TimeSpan.MaxValue;
            double[] scores = [];
            LlamaSharpStatistics? statistics = null;
            for (var run = 0; run < repeat; run++)
            {
                var before = model.GetStatistics();
                var stopwatch = Stopwatch.StartNew();
                scores = await ScoreAllAsync(model, requests);
                stopwatch.Stop();
                if (stopwatch.Elapsed < best)
                {
                    best = stopwatch.Elapsed;
                    statistics = Difference(model.GetStatistics(), before);
                }
            }

            reference ??= scores;
            var maxDifference = scores.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
            var perSecond = requests.Count / best.TotalSeconds;
            throughputs.Add(perSecond);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{mode.Name,-24} {best.TotalSeconds,7:F2} s  {perSecond,8:F1} scorings/s  {statistics!.ScoredTokens / best.TotalSeconds,9:F0} tokens/s  " +
                $"(computed {statistics.EvaluatedScoringTokens} of {statistics.ScoredTokens} tokens in {statistics.DecodeCalls} decode calls; max |score - one at a time| = {maxDifference:E1})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"speedup: {throughputs.Max() / throughputs[0]:F1}"));
        return 0;
    }

    private static async Task<double[]> ScoreAllAsync(LlamaSharpLanguageModel model, List<ContinuationRequest> requests)
    {
        // All requests in flight at once, as the trainer's scoring phase issues them; the model queues and batches them.
        var responses = await Task.WhenAll(requests.Select(r => model.ScoreContinuationAsync(r)));
        return Array.ConvertAll(responses, r => r.Sum);
    }

    private static LlamaSharpStatistics Difference(LlamaSharpStatistics after, LlamaSharpStatistics before) => new(
        after.DecodeCalls - before.DecodeCalls,
        after.ScoringBatches - before.ScoringBatches,
        after.ScoredSequences - before.ScoredSequences,
        after.ScoredTokens - before.ScoredTokens,
        after.EvaluatedScoringTokens - before.EvaluatedScoringTokens,
        after.GenerationCalls - before.GenerationCalls,
        after.GeneratedTokens - before.GeneratedTokens);
}
