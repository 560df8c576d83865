using System.Collections.Concurrent;
using DeepLanguageNetworks.Extensions.AI;
using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Fakes;
using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// The metric drives training: it splits the batch into successes and errors (with feedback for the proposer), scores
/// the candidates where log-probabilities do not apply, selects on dev, and is recorded in checkpoints and networks.
/// </summary>
public sealed class MetricTrainingTests(ITestOutputHelper output) : IDisposable
{
    private const string Uninformative = TrainingScenarios.UninformativePrompt;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Small DLN-1 settings for the free-text world: a validation every iteration, so each step's progress shows.</summary>
    private static VariationalTrainerOptions FreeTextOptions(IMetric metric) => VariationalTrainerOptions.Dln1 with
    {
        Iterations = 6,
        BatchSize = 8,
        PromptCandidates = 4,
        ValidationInterval = 1,
        Metric = metric,
    };

    private static Dln RecordNetwork(ILanguageModel model) => Dln.CreateOneLayer(model, Uninformative, OutputSpace.FreeText(64));

    [Fact]
    public async Task Partial_credit_learns_a_free_text_task_that_exact_match_cannot_move()
    {
        var (train, dev, test) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);

        var f1Network = RecordNetwork(world);
        var f1 = await new VariationalTrainer(world, FreeTextOptions(Metrics.TokenF1)).TrainAsync(f1Network, train, dev);
        var testF1 = await f1Network.EvaluateAsync(test, Metrics.TokenF1);
        output.WriteLine("token F1:\n" + TrainingScenarios.Describe(f1));

        var exactNetwork = RecordNetwork(world);
        var exact = await new VariationalTrainer(world, FreeTextOptions(Metrics.ExactMatch)).TrainAsync(exactNetwork, train, dev);
        output.WriteLine("exact match:\n" + TrainingScenarios.Describe(exact));
        output.WriteLine($"token F1: initial dev {f1.InitialDevScore:0.000} -> best dev {f1.BestDevScore:0.000}, test {testF1.MeanScore:0.000}; exact match: {exact.InitialDevScore:0.000} -> {exact.BestDevScore:0.000}");

        // Without log-probabilities for free text, candidates were scored by the metric, and the dev score is its mean.
        Assert.Equal(new MetricIdentity("token F1"), f1.Metric);
        Assert.True(f1.InitialDevScore <= 0.6, $"initial dev {f1.InitialDevScore}");
        Assert.True(f1.BestDevScore >= 0.9, $"best dev {f1.BestDevScore}");
        Assert.Equal(f1.BestDevAccuracy, f1.BestDevScore);
        Assert.Contains(PersonRecordTask.NamePhrase, f1Network.OutputLayer.Prompt, StringComparison.Ordinal);
        Assert.Contains(PersonRecordTask.YearPhrase, f1Network.OutputLayer.Prompt, StringComparison.Ordinal);
        Assert.Contains(PersonRecordTask.CityPhrase, f1Network.OutputLayer.Prompt, StringComparison.Ordinal);
        Assert.Equal(1, testF1.MeanScore);
        Assert.Equal(new MetricIdentity("token F1"), f1Network.TrainedMetric);

        // Exact match scores every candidate 0 until one asks for all three fields, which no single edit does.
        Assert.Equal(0, exact.InitialDevScore);
        Assert.Equal(0, exact.BestDevScore);
        Assert.Equal(Uninformative, exactNetwork.OutputLayer.Prompt);
        Assert.All(exact.History.SelectMany(h => h.Updates).SelectMany(u => u.CandidateScores), c => Assert.Equal(0, c.Score));
        Assert.Equal(0, world.NextTokenCalls + world.ContinuationCalls);
    }

    [Fact]
    public async Task The_metric_splits_the_batch_and_its_feedback_reaches_the_meta_prompt()
    {
        var (train, dev, _) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        using var backward = new RecordingModel(world);

        await new VariationalTrainer(backward, FreeTextOptions(Metrics.TokenF1) with { Iterations = 1 }).TrainAsync(RecordNetwork(world), train, dev);

        var metaPrompts = backward.Prompts.Where(p => p.StartsWith(ContextParser.MetaPromptOpening, StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, metaPrompts.Length);
        Assert.All(metaPrompts, p =>
        {
            Assert.True(ContextParser.TryParseMetaPrompt(p, out var call));

            // Every answer of the uninformative prompt is a sentence without the fields: all are errors, each with the
            // words it misses and those it should not have.
            Assert.All(call.Examples, e => Assert.False(e.WasCorrect));
            Assert.All(call.Examples, e => Assert.StartsWith("Words of the correct output missing from the output: ", e.Feedback, StringComparison.Ordinal));
        });
        Assert.Contains(
            "## Student output\n> A mathematician of the records\n" + MetaPrompt.FeedbackHeading + "\n" +
            "> Words of the correct output missing from the output: ada, lovelace, 1815, london. Words in the output that the correct output does not have: a, mathematician, of, the, records.\n" +
            "## Correct output\n> Ada Lovelace; 1815; London\n",
            string.Concat(metaPrompts),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.9, 2)]   // after 2 items of partial credit (about 0.67 each) even full marks on the 4 left stay below 0.9
    [InlineData(0.5, null)] // the prompts can beat 0.5: measured in full
    public async Task Validations_that_stop_early_bound_the_mean_metric(double best, int? itemsEvaluated)
    {
        var (_, dev, _) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var network = Dln.CreateOneLayer(world, "Write the person's name.", OutputSpace.FreeText(64));
        var options = FreeTextOptions(Metrics.TokenF1) with { StopValidationEarly = true, ValidationChunkSize = 2 };
        var state = new TrainingState(network, options.MemorySize, new UsageTracker()) { BestDevAccuracy = best };
        var tracker = new ValidationTracker(state, new TrainingData(dev, dev, network.OutputLayer.OutputSpace, options), options, options.Metric, new ObserverList([]));

        var outcome = await tracker.ValidateAsync(1, CancellationToken.None);
        var full = await network.EvaluateAsync(dev, Metrics.TokenF1);

        Assert.Equal(itemsEvaluated, outcome.ItemsEvaluated);
        Assert.InRange(full.MeanScore, 0.6, 0.7);
        if (itemsEvaluated is null)
        {
            Assert.Equal(full.MeanScore, outcome.DevAccuracy!.Value, 12);
            Assert.Equal(full.MeanScore, state.BestDevAccuracy!.Value, 12);
        }
        else
        {
            Assert.Equal(best, state.BestDevAccuracy);
            Assert.Equal(1, state.ValidationsWithoutImprovement);
        }
    }

    [Fact]
    public async Task The_success_score_decides_which_items_are_shown_as_right()
    {
        var (train, dev, _) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        using var backward = new RecordingModel(world);
        const string prompt = "Write the person's name and the year of birth.";
        var network = Dln.CreateOneLayer(world, prompt, OutputSpace.FreeText(64));

        // Name and year: F1 0.86 for most, below 0.8 for the long names and cities (Grace Hopper of New York, Katherine
        // Johnson of White Sulphur Springs). The batch is the whole training set.
        await new VariationalTrainer(backward, FreeTextOptions(Metrics.TokenF1) with { Iterations = 1, BatchSize = train.Length, SuccessScore = 0.8, SkipUpdateWhenBatchCorrect = false }).TrainAsync(network, train, dev);

        Assert.True(ContextParser.TryParseMetaPrompt(backward.Prompts.First(p => p.StartsWith(ContextParser.MetaPromptOpening, StringComparison.Ordinal)), out var call));
        Assert.Equal(train.Length, call.Examples.Count);
        Assert.Equal(["Grace Hopper, a programmer, was born in 1906 in New York.", "Katherine Johnson, a mathematician, was born in 1918 in White Sulphur Springs."], call.Examples.Where(e => !e.WasCorrect).Select(e => e.Input).Order());
        Assert.All(call.Examples, e => Assert.Equal(
            Metrics.TokenF1.ScoreAsync(new Example(e.Input, e.CorrectOutput), PersonRecordTask.Instance.Answer(new OutputCall(prompt, e.Input))).AsTask().Result.Score >= 0.8,
            e.WasCorrect));
        Assert.Throws<ArgumentOutOfRangeException>(() => VariationalTrainerOptions.Dln1 with { SuccessScore = 0 });
    }

    [Fact]
    public async Task Accuracy_scoring_asks_for_no_log_probabilities_and_selects_by_the_metric()
    {
        var (train, dev, _) = NumberParityTask.Splits();

        async Task<(TrainingResult Result, ScriptedWorldModel World)> RunAsync(OutputScoring scoring)
        {
            var world = new ScriptedWorldModel(ConfidentOrRightTask.Instance);
            var options = VariationalTrainerOptions.Dln1 with { Iterations = 1, BatchSize = 10, PromptCandidates = 3, OutputScoring = scoring };
            return (await new VariationalTrainer(world, options).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev), world);
        }

        var (byLikelihood, likelihoodWorld) = await RunAsync(OutputScoring.LogProbabilities);
        var (byMetric, metricWorld) = await RunAsync(OutputScoring.Accuracy);
        output.WriteLine("log-probabilities:\n" + TrainingScenarios.Describe(byLikelihood) + "\naccuracy:\n" + TrainingScenarios.Describe(byMetric));

        Assert.Equal(ConfidentOrRightTask.Hedging, byLikelihood.History[1].Updates.Single().SelectedPrompt);
        Assert.Equal(ConfidentOrRightTask.Decisive, byMetric.History[1].Updates.Single().SelectedPrompt);
        Assert.True(likelihoodWorld.NextTokenCalls > 0);

        // The backend offers next-token log-probabilities, yet accuracy scoring generated every answer: the forward
        // pass, the candidates' scores and the validations.
        Assert.Equal(0, metricWorld.NextTokenCalls);
        Assert.Equal(0, metricWorld.ContinuationCalls);
        Assert.True(metricWorld.Generations > 0);
        Assert.All(byMetric.History[1].Updates.Single().CandidateScores, c => Assert.InRange(c.Score, 0, 1));
    }

    [Fact]
    public async Task An_LLM_judge_through_a_chat_client_drives_training_and_its_calls_are_the_runs()
    {
        var (train, dev, test) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        using var backward = new RecordingModel(world);
        var judgeClient = new ScriptedChatClient(PersonRecordTask.Judge, "judge-model");
        var judge = judgeClient.AsJudge();
        var network = RecordNetwork(world);

        var result = await new VariationalTrainer(backward, FreeTextOptions(judge)).TrainAsync(network, train, dev);
        var testScore = await network.EvaluateAsync(test, judge);
        output.WriteLine(TrainingScenarios.Describe(result));
        output.WriteLine($"judge: initial dev {result.InitialDevScore:0.000} -> best dev {result.BestDevScore:0.000}, test {testScore.MeanScore:0.000}; judge calls {result.Usage.For(CallRole.Judge).Calls}, cache hits {result.Usage.For(CallRole.Judge).CacheHits}");

        Assert.True(result.InitialDevScore <= 0.6, $"initial dev {result.InitialDevScore}");
        Assert.True(result.BestDevScore >= 0.9, $"best dev {result.BestDevScore}");
        Assert.Equal(1, testScore.MeanScore);
        Assert.Equal("judge-model", result.Metric.Settings["model"]);

        // The judge's reasons are the errors' feedback.
        Assert.Contains(backward.Prompts, p => p.Contains(MetaPrompt.FeedbackHeading + "\n> The output lacks the year of birth", StringComparison.Ordinal));

        // Every grading went through the run's pipeline: counted as judge calls, and a grading asked twice (the current
        // prompt's answers are graded in the forward pass and again among the candidates) came from the cache.
        var usage = result.Usage.For(CallRole.Judge);
        var trainingRequests = judgeClient.Requests.Count - test.Length;
        Assert.Equal(usage.Calls, trainingRequests);
        Assert.True(usage.CacheHits > 0, "no grading was answered by the cache");
        Assert.Equal(trainingRequests, judgeClient.Requests.Take(trainingRequests).Select(r => r.Prompt).Distinct().Count());
        Assert.True(result.Calls > usage.Calls);
    }

    [Fact]
    public async Task Evaluation_reports_the_mean_metric_and_each_score_and_feedback()
    {
        var (_, dev, _) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var network = Dln.CreateOneLayer(world, "Write the person's name.", OutputSpace.FreeText(64));

        var f1 = await network.EvaluateAsync(dev, Metrics.TokenF1);
        var exact = await network.EvaluateAsync(dev);

        Assert.Equal(new MetricIdentity("token F1"), f1.Metric);
        Assert.Equal(MetricIdentity.ExactMatch, exact.Metric);
        Assert.Equal(f1.Results.Average(r => r.Score), f1.MeanScore, 12);
        Assert.All(f1.Results, r => Assert.InRange(r.Score, 0.2, 0.99));
        Assert.All(f1.Results, r => Assert.Contains("missing from the output", r.Feedback, StringComparison.Ordinal));
        Assert.Equal(0, f1.Accuracy);
        Assert.Equal(0, exact.MeanScore);
        Assert.Equal(exact.Accuracy, exact.MeanScore);
    }

    [Fact]
    public async Task A_checkpoint_records_the_metric_and_a_resume_with_another_is_refused_naming_both()
    {
        var (train, dev, _) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var path = Path.Combine(_folder.Path, "checkpoint.json");
        var numeric = Metrics.Numeric(new NumericMatchOptions { AbsoluteTolerance = 2 });
        var options = FreeTextOptions(Metrics.TokenF1) with { Iterations = 4 };
        using var cancellation = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new VariationalTrainer(world, options, new TrainingRunOptions { CheckpointPath = path }).TrainAsync(RecordNetwork(world), train, dev, new CancelAtIteration(2, cancellation), cancellation.Token));

        var checkpoint = await TrainingCheckpoint.LoadAsync(path);
        Assert.Equal(new MetricIdentity("token F1"), checkpoint.Metric);
        Assert.Contains("\"metric\": {\n    \"name\": \"token F1\"", (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            new VariationalTrainer(world, options with { Metric = numeric }).ResumeAsync(RecordNetwork(world), train, dev, checkpoint));
        Assert.Contains("'token F1'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'numeric (absoluteTolerance=2, partialCredit=false, relativeTolerance=0)'", refused.Message, StringComparison.Ordinal);

        // A delegate metric is known by its name: another name is another metric.
        var named = Metrics.FromFunction("token F1 v2", (e, o) => Metrics.TokenF1.ScoreAsync(e, o).AsTask().Result);
        await Assert.ThrowsAsync<ArgumentException>(() => new VariationalTrainer(world, options with { Metric = named }).ResumeAsync(RecordNetwork(world), train, dev, checkpoint));

        var uninterrupted = await new VariationalTrainer(world, options).TrainAsync(RecordNetwork(world), train, dev);
        var resumed = await new VariationalTrainer(world, options).ResumeAsync(RecordNetwork(world), train, dev, checkpoint);
        Assert.Equal(RunRecord.Of(uninterrupted, accounting: false), RunRecord.Of(resumed, accounting: false));
    }

    [Fact]
    public async Task A_checkpoint_written_before_metrics_were_recorded_resumes_only_with_exact_match()
    {
        const string json = """{"schemaVersion":2,"seed":42,"depth":1,"iterations":2,"iterationsCompleted":1,"prompts":["Answer the question."],"bestPrompts":["Answer the question."],"bestDevAccuracy":0}""";
        var checkpoint = TrainingCheckpoint.FromJson(json);
        var (train, dev, _) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var options = FreeTextOptions(Metrics.ExactMatch) with { Iterations = 2 };

        Assert.Null(checkpoint.Metric);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => new VariationalTrainer(world, options with { Metric = Metrics.TokenF1 }).ResumeAsync(RecordNetwork(world), train, dev, checkpoint));
        Assert.Contains("'exact match'", refused.Message, StringComparison.Ordinal);
        var resumed = await new VariationalTrainer(world, options).ResumeAsync(RecordNetwork(world), train, dev, checkpoint);
        Assert.Equal(2, resumed.IterationsCompleted);
        Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.FromJson(json.Replace("\"bestDevAccuracy\":0", "\"bestDevAccuracy\":0,\"metric\":{\"name\":\"\"}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_saved_network_records_the_metric_it_was_trained_for()
    {
        var (train, dev, _) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var network = RecordNetwork(world);
        var metric = Metrics.Numeric(new NumericMatchOptions { RelativeTolerance = 0.01, PartialCredit = true });
        Assert.Null(network.TrainedMetric);

        await new VariationalTrainer(world, FreeTextOptions(metric) with { Iterations = 1 }).TrainAsync(network, train, dev);
        var path = Path.Combine(_folder.Path, "network.json");
        await network.SaveAsync(path);
        var loaded = await Dln.LoadAsync(path, world);

        Assert.Equal(MetricIdentity.Of(metric), network.TrainedMetric);
        Assert.Equal(MetricIdentity.Of(metric), loaded.TrainedMetric);
        Assert.Equal("0.01", loaded.TrainedMetric!.Settings["relativeTolerance"]);
        Assert.Equal(network.TrainedMetric, network.WithModels(m => m).TrainedMetric);

        // A file without the field (written before metrics were recorded) loads with none; an empty name is refused.
        var json = await File.ReadAllTextAsync(path);
        var start = json.IndexOf(",\n  \"metric\"", StringComparison.Ordinal);
        Assert.True(start > 0, json);
        var withoutMetric = json[..start] + "\n}";
        Assert.Null(Dln.FromJson(withoutMetric, world).TrainedMetric);
        var error = Assert.Throws<NetworkFormatException>(() => Dln.FromJson(json.Replace("\"name\": \"numeric\"", "\"name\": \"\"", StringComparison.Ordinal), world, "net.json"));
        Assert.Contains("net.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("metric.name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_run_folder_names_the_metric_in_config_and_report()
    {
        var (train, dev, _) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var directory = Path.Combine(_folder.Path, "run");
        var metric = Metrics.Numeric(new NumericMatchOptions { AbsoluteTolerance = 0.5 });

        await new VariationalTrainer(world, FreeTextOptions(metric) with { Iterations = 1 }, new TrainingRunOptions { RunDirectory = directory }).TrainAsync(RecordNetwork(world), train, dev);

        using var config = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "config.json")));
        var recorded = config.RootElement.GetProperty("metric");
        Assert.Equal("numeric", recorded.GetProperty("name").GetString());
        Assert.Equal("0.5", recorded.GetProperty("settings").GetProperty("absoluteTolerance").GetString());
        Assert.Contains("| Metric | numeric (absoluteTolerance=0.5, partialCredit=false, relativeTolerance=0) |", await File.ReadAllTextAsync(Path.Combine(directory, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_estimate_counts_a_judges_calls()
    {
        var (train, dev, _) = PersonRecordTask.Splits();
        using var world = new ScriptedWorldModel(PersonRecordTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var judge = new ScriptedChatClient(PersonRecordTask.Judge).AsJudge();

        var withJudge = new VariationalTrainer(world, FreeTextOptions(judge) with { OutputScoring = OutputScoring.Accuracy }).Estimate(RecordNetwork(world), train, dev);
        var withoutJudge = new VariationalTrainer(world, FreeTextOptions(Metrics.TokenF1) with { OutputScoring = OutputScoring.Accuracy }).Estimate(RecordNetwork(world), train, dev);

        // Per iteration the forward batch (8) and the candidates' answers but the current prompt's (3 × 8), and from the
        // first validation on (5 of the 6 iterations) a remembered prompt's (8); per validation the dev set (6).
        Assert.Equal((6 * (8 + 24)) + (5 * 8) + (7 * 6), withJudge.CallsByRole[CallRole.Judge]);
        Assert.Equal((6 * (8 + 24 + 16)) + (7 * 6), withJudge.MaxCallsByRole[CallRole.Judge]);
        Assert.False(withoutJudge.CallsByRole.ContainsKey(CallRole.Judge));
    }

    /// <summary>Records every generation prompt (the meta-prompts, when it serves as the backward model).</summary>
    private sealed class RecordingModel(ILanguageModel inner) : DelegatingLanguageModel(inner)
    {
        private readonly ConcurrentQueue<string> _prompts = new();

        public IReadOnlyList<string> Prompts => [.. _prompts];

        public override Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
        {
            _prompts.Enqueue(request.Prompt);
            return base.GenerateAsync(request, cancellationToken);
        }
    }
}
