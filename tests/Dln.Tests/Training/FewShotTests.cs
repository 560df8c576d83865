using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// Few-shot prompting as a trainer option: the 0-shot and n-shot baselines are runs of the same engine with
/// <see cref="VariationalTrainerOptions.Iterations"/> = 0, demonstrations are class-balanced, resampled per batch, and
/// the trained network keeps the set of its best validation (also after a resume).
/// </summary>
public sealed class FewShotTests : IDisposable
{
    private const string TrainedPrompt = "Think it through.";
    private readonly TempFolder _folder = new();

    // Inputs name their class so that a test can tell the classes of the demonstrations in a rendered prompt.
    private static readonly Example[] Train =
        [.. Enumerable.Range(0, 12).Select(i => new Example($"train item {i} (class yes)", "yes")),
         .. Enumerable.Range(0, 12).Select(i => new Example($"train item {i} (class no)", "no"))];

    private static readonly Example[] Dev =
        [.. Enumerable.Range(0, 4).Select(i => new Example($"dev item {i}", i % 2 == 0 ? "yes" : "no"))];

    private static readonly Example[] Test =
        [.. Enumerable.Range(0, 6).Select(i => new Example($"test item {i}", i % 2 == 0 ? "no" : "yes"))];

    [Fact]
    public async Task Zero_shot_and_five_shot_are_runs_of_the_same_engine_and_five_shot_prompts_hold_five_balanced_demonstrations()
    {
        var (zeroShot, zeroModel, zeroNetwork) = await RunBaselineAsync(shots: 0);
        var (fiveShot, fiveModel, fiveNetwork) = await RunBaselineAsync(shots: 5);

        // Both are a dev validation and nothing else: no proposal, no forward pass on a batch.
        foreach (var (result, model) in new[] { (zeroShot, zeroModel), (fiveShot, fiveModel) })
        {
            Assert.Equal(0, result.IterationsCompleted);
            Assert.NotNull(result.InitialDevAccuracy);
            Assert.Equal(Dev.Length + Test.Length, model.Generations.Count);
            Assert.All(model.Generations, g => Assert.Equal(CallRole.Evaluation, g.Purpose.Role));
        }

        Assert.Empty(zeroNetwork.OutputLayer.Demonstrations);
        Assert.All(zeroModel.Generations, g => Assert.Empty(DemonstrationsIn(g.Prompt)));

        // 5-shot: every dev and test prompt holds the same five distinct training examples, three of one class and
        // two of the other, and the network keeps exactly that set.
        var shots = fiveNetwork.OutputLayer.Demonstrations;
        Assert.Equal(5, shots.Count);
        Assert.Equal(5, shots.Distinct().Count());
        Assert.All(shots, s => Assert.Contains(s, Train));
        Assert.Equal([2, 3], shots.GroupBy(s => s.Target).Select(g => g.Count()).Order());
        Assert.All(fiveModel.Generations, g => Assert.Equal(shots.Select(s => s.Input), DemonstrationsIn(g.Prompt)));

        // Same engine: with the demonstrations taken out, the 5-shot prompt of an input is the 0-shot prompt.
        var zeroByInput = zeroModel.Generations.ToDictionary(g => QueryOf(g.Prompt), g => g.Prompt);
        foreach (var g in fiveModel.Generations)
        {
            Assert.Equal(zeroByInput[QueryOf(g.Prompt)], StripDemonstrations(g.Prompt, fiveNetwork.OutputLayer));
        }
    }

    [Fact]
    public async Task Training_resamples_demonstrations_per_batch_and_keeps_the_set_of_the_best_validation()
    {
        using var model = TeachableModel();
        var network = NewNetwork(model);
        var options = TrainingOptions();

        var result = await new VariationalTrainer(model, options, Direct).TrainAsync(network, Train, Dev);

        Assert.Equal(TrainedPrompt, network.OutputLayer.Prompt);
        Assert.Equal(1.0, result.BestDevAccuracy);
        var forward = model.Generations.Where(g => g.Purpose.Role == CallRole.Forward).ToArray();
        var firstBatch = forward.Take(options.BatchSize).Select(g => DemonstrationsIn(g.Prompt)).ToArray();
        var secondBatch = forward.Skip(options.BatchSize).Take(options.BatchSize).Select(g => DemonstrationsIn(g.Prompt)).ToArray();
        Assert.All(firstBatch.Concat(secondBatch), d => Assert.Equal(4, d.Count));
        Assert.All(firstBatch, d => Assert.Equal(firstBatch[0], d));
        Assert.All(secondBatch, d => Assert.Equal(secondBatch[0], d));
        Assert.NotEqual(firstBatch[0], secondBatch[0]);

        // Validations: the initial prompt (dev 0.5), then the trained one after iteration 2 (dev 1.0, the best); the
        // network keeps the demonstrations of that second validation, not those of the last batch.
        var validations = model.Generations.Where(g => g.Purpose.Role == CallRole.Evaluation).Chunk(Dev.Length).ToArray();
        Assert.Equal(2, validations.Length);
        var bestSet = DemonstrationsIn(validations[1][0].Prompt);
        Assert.NotEqual(DemonstrationsIn(validations[0][0].Prompt), bestSet);
        Assert.Equal(bestSet, network.OutputLayer.Demonstrations.Select(d => d.Input));
    }

    [Fact]
    public async Task A_resumed_few_shot_run_keeps_the_same_demonstrations_as_an_uninterrupted_one()
    {
        using var model = TeachableModel();
        var options = TrainingOptions();
        var full = NewNetwork(model);
        await new VariationalTrainer(model, options, Direct).TrainAsync(full, Train, Dev);

        var stopped = Direct with { CheckpointPath = Path.Combine(_folder.Path, "few-shot.checkpoint.json") };
        using var cancellation = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new VariationalTrainer(model, options, stopped).TrainAsync(NewNetwork(model), Train, Dev, new CancelAtIteration(3, cancellation), cancellation.Token));
        var checkpoint = await TrainingCheckpoint.LoadAsync(stopped.CheckpointPath!);
        Assert.True(checkpoint.IterationsCompleted is >= 2 and < 4, $"checkpoint after {checkpoint.IterationsCompleted} iterations");

        var resumed = NewNetwork(model);
        await new VariationalTrainer(model, options, stopped).ResumeAsync(resumed, Train, Dev, checkpoint);

        Assert.Equal(full.Prompts, resumed.Prompts);
        Assert.Equal(4, full.OutputLayer.Demonstrations.Count);
        Assert.Equal(full.OutputLayer.Demonstrations, resumed.OutputLayer.Demonstrations);
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<(TrainingResult Result, ScriptedLanguageModel Model, Dln Network)> RunBaselineAsync(int shots)
    {
        var model = new ScriptedLanguageModel().Generates(_ => "yes");
        var network = NewNetwork(model);
        var trainer = new VariationalTrainer(model, VariationalTrainerOptions.Dln1 with { Iterations = 0, FewShotExamples = shots, Seed = 13 });
        var result = await trainer.TrainAsync(network, Train, Dev);
        await network.EvaluateAsync(Test);
        return (result, model, network);
    }

    private static Dln NewNetwork(ILanguageModel model) => Dln.CreateOneLayer(model, "Answer.", TrainingScenarios.YesNo);

    /// <summary>The calls go straight to the model (no cache), so the test sees every request in order.</summary>
    private static TrainingRunOptions Direct { get; } = new() { RuntimeDecorators = RuntimeDecorators.None };

    /// <summary>DLN-1 with 4 demonstrations, 4 iterations, validation every 2.</summary>
    private static VariationalTrainerOptions TrainingOptions() => VariationalTrainerOptions.Dln1 with
    {
        Iterations = 4,
        BatchSize = 4,
        PromptCandidates = 2,
        FewShotExamples = 4,
        SkipUpdateWhenBatchCorrect = false,
        Seed = 5,
    };

    /// <summary>
    /// Answers "yes" to everything under the initial prompt (half right), and every query right under the prompt it
    /// proposes; the backward model always proposes that prompt.
    /// </summary>
    private static ScriptedLanguageModel TeachableModel()
    {
        var targets = Train.Concat(Dev).Concat(Test).ToDictionary(e => e.Input, e => e.Target);
        return new ScriptedLanguageModel().Generates(prompt =>
            prompt.StartsWith("A student model", StringComparison.Ordinal) ? TrainedPrompt
            : prompt.StartsWith(TrainedPrompt, StringComparison.Ordinal) ? targets[QueryOf(prompt)]
            : "yes");
    }

    /// <summary>The inputs of the demonstrations in a rendered output-layer prompt, in order.</summary>
    private static List<string> DemonstrationsIn(string prompt) =>
        Train.Select(e => (e.Input, Position: prompt.IndexOf(e.Input + "\n\nAnswer:\n" + e.Target, StringComparison.Ordinal)))
            .Where(x => x.Position >= 0)
            .OrderBy(x => x.Position)
            .Select(x => x.Input)
            .ToList();

    /// <summary>The query of a rendered output-layer prompt: the text between the last blank-line gap and the answer cue.</summary>
    private static string QueryOf(string prompt)
    {
        var body = prompt[..prompt.LastIndexOf("\n\nAnswer:", StringComparison.Ordinal)];
        return body[(body.LastIndexOf("\n\n", StringComparison.Ordinal) + 2)..];
    }

    private static string StripDemonstrations(string prompt, LanguageLayer layer)
    {
        var stripped = prompt;
        foreach (var d in layer.Demonstrations)
        {
            var shot = layer.Template.Render((LayerTemplates.PromptPlaceholder, string.Empty), (LayerTemplates.InputPlaceholder, d.Input)) + "\n" + d.Target;
            stripped = stripped.Replace(shot + "\n\n\n", string.Empty, StringComparison.Ordinal);
        }

        return stripped;
    }
}
