using System.Text.Json;
using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// Checkpoint files of every schema version load: the version-1 files in <c>Fixtures/</c> were written by the trainer
/// before schema 2 (a DLN-1 and a DLN-2 run stopped after iteration 2), and resume to the prompts and history of an
/// uninterrupted run of today's trainer.
/// </summary>
public sealed class CheckpointVersionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("dln1")]
    [InlineData("dln2")]
    public async Task A_version_1_checkpoint_resumes_to_the_uninterrupted_run(string scenario)
    {
        var checkpoint = await TrainingCheckpoint.LoadAsync(Fixture(scenario));
        Assert.Equal(2, checkpoint.IterationsCompleted);
        Assert.Equal(6, checkpoint.Iterations);
        Assert.Equal(42, checkpoint.Seed);
        Assert.Equal(1.0, checkpoint.BestDevAccuracy);
        Assert.Equal(3, checkpoint.History.Count);

        var (world, makeNetwork, options, train, dev) = Scenario(scenario);
        using var _ = world;
        var uninterrupted = await new VariationalTrainer(world, options).TrainAsync(makeNetwork(), train, dev);
        var network = makeNetwork();
        var resumed = await new VariationalTrainer(world, options).ResumeAsync(network, train, dev, checkpoint);

        Assert.Equal(uninterrupted.BestPrompts, network.Prompts);
        Assert.Equal(RunRecord.Of(uninterrupted, accounting: false), RunRecord.Of(resumed, accounting: false));
    }

    [Fact]
    public async Task A_version_1_checkpoint_keeps_its_dev_accuracies_as_prompt_sets_and_its_patience()
    {
        var checkpoint = await TrainingCheckpoint.LoadAsync(Fixture("dln2"));

        // Keys were the prompt sets joined with U+241E; the hidden layer's empty prompt comes back as an empty prompt.
        Assert.Equal(
            [(new[] { string.Empty, "Answer the question." }, 0.5), (new[] { "First add the digits of the number, then write: digit sum = N.", "Answer the question." }, 1.0)],
            checkpoint.DevAccuracies.Select(e => (e.Prompts.ToArray(), e.DevAccuracy)));
        Assert.Equal(0, checkpoint.ValidationsWithoutImprovement);
        Assert.Equal(2, checkpoint.Memory.Count);

        // Written again, the same state is schema 2.
        var json = checkpoint.ToJson();
        using var document = JsonDocument.Parse(json);
        Assert.Equal(2, document.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("devAccuracies").ValueKind);
        Assert.DoesNotContain('\u241E', json);
        Assert.Equal(json, TrainingCheckpoint.FromJson(json).ToJson());
    }

    [Fact]
    public void A_version_1_best_dev_accuracy_of_minus_one_means_no_validation_yet()
    {
        var checkpoint = TrainingCheckpoint.FromJson("""{"schemaVersion":1,"seed":1,"depth":1,"iterations":2,"iterationsCompleted":0,"prompts":["p"],"bestPrompts":["p"],"bestDevAccuracy":-1,"patience":1}""");

        Assert.Null(checkpoint.BestDevAccuracy);
        Assert.Equal(1, checkpoint.ValidationsWithoutImprovement);
        Assert.DoesNotContain("bestDevAccuracy", checkpoint.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_without_a_validation_yet_writes_no_best_dev_accuracy()
    {
        var (world, makeNetwork, options, train, dev) = Scenario("dln1");
        using var _ = world;
        var path = Path.Combine(_folder.Path, "run.json");
        using var cancellation = new CancellationTokenSource();

        // No initial validation; cancelled in the report of iteration 1 (validations come every 2 iterations).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new VariationalTrainer(world, options with { EvaluateBeforeTraining = false }, new TrainingRunOptions { CheckpointPath = path })
                .TrainAsync(makeNetwork(), train, dev, new CancelAtIteration(1, cancellation), cancellation.Token));

        var checkpoint = await TrainingCheckpoint.LoadAsync(path);
        Assert.Equal(0, checkpoint.IterationsCompleted);
        Assert.Null(checkpoint.BestDevAccuracy);
        Assert.DoesNotContain("bestDevAccuracy", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_from_a_newer_version_is_refused_naming_the_version()
    {
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.FromJson("""{"schemaVersion":3,"seed":1}""", "runs/next.json"));

        Assert.Contains("runs/next.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_2_entry_of_dev_accuracies_without_a_prompt_per_layer_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.FromJson(
            """{"schemaVersion":2,"seed":1,"depth":2,"iterations":2,"iterationsCompleted":1,"prompts":["a","b"],"bestPrompts":["a","b"],"devAccuracies":[{"prompts":["a"],"devAccuracy":0.5}]}""",
            "runs/a.json"));

        Assert.Contains("devAccuracies", error.Message, StringComparison.Ordinal);
    }

    private static string Fixture(string scenario)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Dln.Tests", "Training", "Fixtures", $"v1-{scenario}.checkpoint.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "Fixtures", $"v1-{scenario}.checkpoint.json");
    }

    // The settings the fixtures were written with.
    private static (ScriptedWorldModel World, Func<Dln> MakeNetwork, VariationalTrainerOptions Options, Example[] Train, Example[] Dev) Scenario(string name)
    {
        if (name == "dln1")
        {
            var (train, dev, _) = NumberParityTask.Splits();
            var world = new ScriptedWorldModel(NumberParityTask.Instance);
            return (world, () => TrainingScenarios.NumberNetwork(world), TrainingScenarios.Dln1Small with { SkipUpdateWhenBatchCorrect = false }, train, dev);
        }

        var digits = TrainingScenarios.DigitSumData();
        var deepWorld = new ScriptedWorldModel(DigitSumTask.TwoStep);
        return (deepWorld, () => TrainingScenarios.DigitSumTwoLayer(deepWorld), TrainingScenarios.Dln2Small with { SkipUpdateWhenBatchCorrect = false }, digits.Train, digits.Dev);
    }
}
