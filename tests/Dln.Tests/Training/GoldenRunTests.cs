using System.Globalization;
using System.Text;
using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// Pins the trainer's behaviour on the scripted world: with a fixed seed, each scenario must give exactly the prompts,
/// scores, candidates and call counts recorded in <c>Golden/*.txt</c>. A refactoring of the engine must leave these
/// files unchanged; a change that means to alter the algorithm regenerates them (set <c>DLN_UPDATE_GOLDEN=1</c> and run
/// the test from the repository) and says why in its commit.
/// </summary>
public class GoldenRunTests
{
    // Options whose defaults later work may change are pinned here, so that the files record the engine, not defaults.
    private static VariationalTrainerOptions Pin(VariationalTrainerOptions o) => o with { SkipUpdateWhenBatchCorrect = true, Seed = 42 };

    public static TheoryData<string> Scenarios => ["dln1-number-parity", "dln2-two-step", "dln2-two-step-joint", "three-layer"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Fixed_seed_run_matches_its_recorded_history(string scenario)
    {
        var actual = await RunAsync(scenario);
        var path = Path.Combine(GoldenFolder(), scenario + ".txt");
        if (Environment.GetEnvironmentVariable("DLN_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(path, actual);
        }

        Assert.True(File.Exists(path), $"No recorded history at {path}; run with DLN_UPDATE_GOLDEN=1 to record it.");
        var expected = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "(no line)";
            var a = i < actualLines.Length ? actualLines[i] : "(no line)";
            Assert.True(e == a, $"{scenario}, line {i + 1} differs.\nexpected: {e}\nactual:   {a}");
        }
    }

    private static async Task<string> RunAsync(string scenario)
    {
        switch (scenario)
        {
            case "dln1-number-parity":
            {
                var (train, dev, test) = NumberParityTask.Splits();
                using var world = new ScriptedWorldModel(NumberParityTask.Instance);
                var network = TrainingScenarios.NumberNetwork(world);
                var result = await new VariationalTrainer(world, Pin(TrainingScenarios.Dln1Small)).TrainAsync(network, train, dev);
                return Describe(result, (await network.EvaluateAsync(test)).Accuracy);
            }

            case "dln2-two-step":
            case "dln2-two-step-joint":
            {
                var (train, dev, test) = TrainingScenarios.DigitSumData();
                using var world = new ScriptedWorldModel(scenario == "dln2-two-step" ? DigitSumTask.TwoStep : DigitSumTask.TwoStepJoint);
                var network = TrainingScenarios.DigitSumTwoLayer(world);
                var result = await new VariationalTrainer(world, Pin(TrainingScenarios.Dln2Small)).TrainAsync(network, train, dev);
                return Describe(result, (await network.EvaluateAsync(test)).Accuracy);
            }

            case "three-layer":
            {
                var (train, dev, test) = TrainingScenarios.DigitSumData();
                using var world = new ScriptedWorldModel(DigitSumTask.ThreeStep);
                var network = TrainingScenarios.DigitSumThreeLayer(world);
                var result = await new VariationalTrainer(world, Pin(TrainingScenarios.Dln2Small)).TrainAsync(network, train, dev);
                return Describe(result, (await network.EvaluateAsync(test)).Accuracy);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Unknown scenario.");
        }
    }

    /// <summary>Everything a run reports, one fact per line, numbers rounded to 9 decimals.</summary>
    private static string Describe(TrainingResult result, double testAccuracy)
    {
        var s = new StringBuilder();
        s.Append("best dev ").Append(N(result.BestDevAccuracy)).Append(" initial dev ").Append(N(result.InitialDevAccuracy))
            .Append(" iterations ").Append(result.IterationsCompleted).Append(" calls ").Append(result.Calls)
            .Append(" tokens ").Append(result.Tokens).Append(" test ").Append(N(testAccuracy)).Append('\n');
        s.Append("best prompts ").Append(Q(result.BestPrompts)).Append('\n');
        foreach (var h in result.History)
        {
            s.Append("iteration ").Append(h.Iteration).Append(": batch ").Append(N(h.BatchAccuracy)).Append(" loss ").Append(N(h.TrainLoss))
                .Append(" elbo ").Append(N(h.Elbo)).Append(" entropy ").Append(N(h.PosteriorEntropy)).Append(" dev ").Append(N(h.DevAccuracy))
                .Append(" best ").Append(N(h.BestDevAccuracy)).Append(h.Skipped ? " skipped" : string.Empty).Append(h.Backtracked ? " backtracked" : string.Empty)
                .Append(" calls ").Append(h.Calls).Append(" tokens ").Append(h.Tokens)
                .Append(" truncated ").Append(h.TruncatedHiddenTexts).Append(" empty ").Append(h.EmptyHiddenTexts).Append(" outside ").Append(h.AnswersOutsideClasses)
                .Append(" error ").Append(h.Error ?? "-").Append('\n');
            s.Append("  prompts ").Append(Q(h.Prompts)).Append('\n');
            foreach (var u in h.Updates)
            {
                s.Append("  layer ").Append(u.Layer).Append(" selected ").Append(Origin(u.SelectedOrigin)).Append(' ').Append(N(u.SelectedScore))
                    .Append(" current ").Append(N(u.CurrentScore)).Append(" candidates ").Append(u.Candidates).Append(" index ").Append(u.SelectedIndex)
                    .Append(" proposals ").Append(u.Proposals.Requested).Append('/').Append(u.Proposals.Empty).Append('/').Append(u.Proposals.Clipped)
                    .Append('/').Append(u.Proposals.Duplicates).Append('/').Append(u.Proposals.MarkersRemoved).Append('\n');
                foreach (var c in u.CandidateScores)
                {
                    s.Append("    ").Append(Origin(c.Origin)).Append(' ').Append(N(c.Score)).Append(' ').Append(Q([c.Prompt])).Append('\n');
                }
            }
        }

        return s.ToString();
    }

    // Candidate origins are compared by name, whatever type names them.
    private static string Origin(object origin) => origin.ToString()!.ToLowerInvariant();

    private static string N(double? value) => value is null ? "-" : Math.Round(value.Value, 9).ToString("0.#########", CultureInfo.InvariantCulture);

    private static string Q(IEnumerable<string> texts) => string.Join(" | ", texts.Select(t => "\"" + t.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\"", "\\\"") + "\""));

    /// <summary>The Golden folder in the source tree (found from the test assembly's folder upwards).</summary>
    private static string GoldenFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Dln.Tests", "Training", "Golden");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "Golden");
    }
}
