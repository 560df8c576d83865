using System.Diagnostics;
using System.Globalization;
using DeepLanguageNetworks.Benchmarks.Learnable;

namespace DeepLanguageNetworks.Benchmarks;

/// <summary>
/// <c>racing</c>: trains DLN-1 and DLN-2 on the learnable simulated backend (<see cref="LearnableWorldModel"/>) with the
/// paper's settings, faithfully and with candidate racing plus validations that stop early, over several seeds, and
/// prints per method the training calls (validations included, cache hits excluded), the best dev accuracy and the
/// test accuracy, and how far the dry-run estimate is from the calls made (with the assumptions measured on the first
/// seed's run, and with the default ones); then the closing lines <c>calls ratio</c> (racing ÷ faithful) and <c>accuracy delta</c> (racing −
/// faithful, in points of test accuracy), both over DLN-1 and DLN-2 together. The racing schedule takes
/// <c>--first-slice</c>, <c>--keep</c>, <c>--growth</c>, <c>--hidden-first-slice</c> (0.1), <c>--hidden-keep</c> (0.2)
/// and <c>--drop-margin</c> (1.5; 0 turns it off); <c>--only NAME</c> runs the configurations whose name starts so
/// (no closing lines), <c>--breakdown 1</c> adds each configuration's calls per role and layer and its measured behaviour.
/// </summary>
internal static class RacingBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var seeds = arguments.GetInt("seeds", 10);
        var iterations = arguments.GetInt("iterations", 20);
        var c = CultureInfo.InvariantCulture;
        var cases = LearnableTask.Cases(1, 300 + 100 + 400, seed: 2024);
        var train = cases[..300].Select(LearnableTask.ToExample).ToArray();
        var dev = cases[300..400].Select(LearnableTask.ToExample).ToArray();
        var test = cases[400..].Select(LearnableTask.ToExample).ToArray();
        Console.WriteLine(string.Format(c, "learnable simulated backend: {0} kinds of case, output noise ±{1} logits per case and ±{2} per prompt and case; train {3}, dev {4}, test {5}; {6} iterations; seeds 1..{7}",
            LearnableTask.Kinds.Count, LearnableWorldModel.CaseNoise, LearnableWorldModel.PromptNoise, train.Length, dev.Length, test.Length, iterations, seeds));

        var defaults = CandidateRacingOptions.LowCost;
        var schedule = defaults with
        {
            FirstSliceFraction = arguments.GetDouble("first-slice", defaults.FirstSliceFraction),
            KeepFraction = arguments.GetDouble("keep", defaults.KeepFraction),
            SliceGrowth = arguments.GetDouble("growth", defaults.SliceGrowth),

            // CandidateRacingOptions.LowCost unless told otherwise; --drop-margin 0 leaves the margin off.
            HiddenLayerFirstSliceFraction = arguments.GetDouble("hidden-first-slice", defaults.HiddenLayerFirstSliceFraction),
            HiddenLayerKeepFraction = arguments.GetDouble("hidden-keep", defaults.HiddenLayerKeepFraction),
            DropMargin = arguments.GetDouble("drop-margin", defaults.DropMargin ?? 0) is > 0 and var margin ? margin : null,
        };
        Console.WriteLine(string.Format(c, "racing: first slice {0} of the batch ({4} for hidden layers), keep {1} per round ({5} for hidden layers), slices grow by {2}, drop margin {6}, current prompt kept: {3}; validations stop early",
            schedule.FirstSliceFraction, schedule.KeepFraction, schedule.SliceGrowth, schedule.KeepCurrentPrompt, schedule.HiddenLayerFirstSliceFraction, schedule.HiddenLayerKeepFraction, schedule.DropMargin?.ToString(c) ?? "none"));

        var racing = new Func<VariationalTrainerOptions, VariationalTrainerOptions>(o => o with { CandidateRacing = schedule, StopValidationEarly = true });
        var configurations = new (string Name, int Depth, Func<VariationalTrainerOptions, VariationalTrainerOptions> Shape)[]
        {
            ("DLN-1 faithful", 1, o => o),
            ("DLN-1 racing", 1, racing),
            ("DLN-2 faithful", 2, o => o),
            ("DLN-2 racing", 2, racing),
        };

        var figures = new Dictionary<string, List<RunFigures>>();
        var clock = Stopwatch.StartNew();
        var only = arguments.GetString("only") ?? string.Empty;
        foreach (var (name, depth, shape) in configurations.Where(c => c.Name.StartsWith(only, StringComparison.Ordinal)))
        {
            // The first seed's run is the pilot whose behaviour the estimates of the other seeds assume.
            var runs = new List<RunFigures>();
            TrainingEstimateAssumptions? pilot = null;
            for (var seed = 1; seed <= seeds; seed++)
            {
                var run = await TrainAsync(cases, depth, shape((depth == 1 ? VariationalTrainerOptions.Dln1 : VariationalTrainerOptions.Dln2) with { Iterations = iterations, Seed = seed }), train, dev, test, pilot);
                pilot ??= TrainingEstimateAssumptions.FromResult(run.Result, dev.Length);
                runs.Add(run);
            }

            figures[name] = runs;
            var estimated = runs.Skip(1).ToArray();
            Console.WriteLine(string.Format(c, "{0,-15} calls {1,8:N0}  best dev {2:F3}  test {3:F3} ± {4:F3}  estimate error {5:P1} (default assumptions {6:P1})   (per seed: {7})",
                name, runs.Average(r => r.Calls), runs.Average(r => r.BestDev), runs.Average(r => r.Test), StandardDeviation(runs.Select(r => r.Test)),
                estimated.Length > 0 ? estimated.Average(r => Math.Abs(r.Estimated!.Value - r.Calls) / (double)r.Calls) : 0,
                runs.Average(r => Math.Abs(r.DefaultEstimate - r.Calls) / (double)r.Calls),
                string.Join(", ", runs.Select(r => string.Format(c, "{0:N0} calls {1:F3}", r.Calls, r.Test)))));
            if (arguments.GetInt("breakdown", 0) > 0)
            {
                var purposes = runs.SelectMany(r => r.Result.Usage.ByPurpose.Keys).Distinct().OrderBy(p => p.Role).ThenBy(p => p.Layer);
                Console.WriteLine("    " + string.Join("  ", purposes.Select(p => string.Format(c, "{0}/{1} {2:N0} (+{3:N0} hits)", p.Role, p.Layer,
                    runs.Average(r => r.Result.Usage.ByPurpose.TryGetValue(p, out var u) ? u.Calls : 0),
                    runs.Average(r => r.Result.Usage.ByPurpose.TryGetValue(p, out var u) ? u.CacheHits : 0)))));
                var measured = runs.Select(r => TrainingEstimateAssumptions.FromResult(r.Result, dev.Length)).ToArray();
                Console.WriteLine(string.Format(c, "    validation items {0:F2} repeated {1:F2} skipped {2:F2} distinct {3:F2} validations made {4:F1}",
                    measured.Average(m => m.ValidationItemFraction), measured.Average(m => m.RepeatedValidationFraction), measured.Average(m => m.SkippedUpdateFraction), measured.Average(m => m.DistinctProposalFraction),
                    runs.Average(r => r.Result.History.Count(h => h.DevAccuracy is not null || h.DevItemsEvaluated is not null))));
            }
        }

        if (figures.Count < configurations.Length)
        {
            return 0;
        }

        double Calls(string name) => figures[name].Sum(r => r.Calls);
        double Test(string name) => figures[name].Average(r => r.Test);
        foreach (var depth in new[] { "DLN-1", "DLN-2" })
        {
            Console.WriteLine(string.Format(c, "{0}: calls ratio {1:F2}, accuracy delta {2:+0.0;-0.0;0.0} points", depth,
                Calls($"{depth} racing") / Calls($"{depth} faithful"), 100 * (Test($"{depth} racing") - Test($"{depth} faithful"))));
        }

        Console.WriteLine(string.Format(c, "{0} runs in {1:F1} s", configurations.Length * seeds, clock.Elapsed.TotalSeconds));
        Console.WriteLine(string.Format(c, "calls ratio: {0:F2}", (Calls("DLN-1 racing") + Calls("DLN-2 racing")) / (Calls("DLN-1 faithful") + Calls("DLN-2 faithful"))));
        Console.WriteLine(string.Format(c, "accuracy delta: {0:+0.0;-0.0;0.0}", 100 * (((Test("DLN-1 racing") + Test("DLN-2 racing")) - (Test("DLN-1 faithful") + Test("DLN-2 faithful"))) / 2)));
        return 0;
    }

    private static async Task<RunFigures> TrainAsync(LearnableTask.Case[] cases, int depth, VariationalTrainerOptions options, Example[] train, Example[] dev, Example[] test, TrainingEstimateAssumptions? assumptions)
    {
        using var world = new LearnableWorldModel(cases);
        var outputSpace = OutputSpace.FromClasses("yes|Yes", "no|No");
        var network = depth == 1
            ? Dln.CreateOneLayer(world, LearnableTask.InitialInstruction, outputSpace)
            : Dln.CreateTwoLayer(world, string.Empty, LearnableTask.InitialInstruction, outputSpace);
        var trainer = new VariationalTrainer(world, options);
        var estimate = assumptions is null ? (long?)null : trainer.Estimate(network, train, dev, assumptions).Calls;
        var defaultEstimate = trainer.Estimate(network, train, dev).Calls;
        var result = await trainer.TrainAsync(network, train, dev);
        var accuracy = (await network.EvaluateAsync(test)).Accuracy;
        return new RunFigures(result.Calls, result.BestDevAccuracy, accuracy, result, estimate, defaultEstimate);
    }

    private static double StandardDeviation(IEnumerable<double> values) => EvaluationResult.MeanAndStandardDeviation(values).StandardDeviation;

    private sealed record RunFigures(long Calls, double BestDev, double Test, TrainingResult Result, long? Estimated, long DefaultEstimate);
}
