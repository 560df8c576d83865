using System.Text.Json;
using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// Inputs longer than the context window cost their example, never the run. Where the model counts tokens they are
/// found before the first call and skipped (reported with split, index and source), truncated or refused; where it
/// cannot, or where a request grows past the window at run time (a long proposal, a hint sample), the example is left
/// out of that forward pass, posterior, candidate scoring (for every candidate alike) or validation, and counted; a
/// meta-prompt that overflows drops shown examples one at a time.
/// </summary>
public class ContextOverflowTests
{
    private const int Window = 200;
    private static readonly int[] LongTrain = [2, 9, 20];
    private const int LongDev = 5;

    [Fact]
    public async Task Inputs_that_cannot_fit_are_skipped_before_the_first_call_and_reported_with_their_source()
    {
        var (train, dev) = WithLongInputs();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var forward = new ContextWindowModel(world, Window);
        var backward = new ContextWindowModel(world, 4096);
        using var folder = new TempFolder();

        var result = await new VariationalTrainer(backward, TrainingScenarios.Dln1Small, new TrainingRunOptions { RunDirectory = folder.Path })
            .TrainAsync(TrainingScenarios.NumberNetwork(forward), train, dev);

        Assert.Equal([("train", 2, "train.jsonl:3"), ("train", 9, "train.jsonl:10"), ("train", 20, "train.jsonl:21"), ("dev", LongDev, "dev.jsonl:6")],
            result.OverlongInputs.Select(o => (o.Split, o.Index, o.Source)));
        Assert.All(result.OverlongInputs, o =>
        {
            Assert.Equal(0, o.Layer);
            Assert.Equal(Window, o.ContextLength);
            Assert.True(o.Tokens > 3000, $"{o.Tokens} tokens");
            Assert.False(o.Truncated);
        });
        Assert.Equal("train example 2 (train.jsonl:3): layer 0 needs 3009 tokens, more than the context window of 200; skipped", result.OverlongInputs[0].ToString());

        // No call carried a long input, none overflowed, and the run is the one on the examples that fit.
        Assert.Equal(0, forward.Overflows + backward.Overflows);
        Assert.DoesNotContain(forward.Answered.Concat(backward.Answered), text => text.Contains("filler", StringComparison.Ordinal));
        Assert.Equal(TrainingScenarios.Dln1Small.Iterations, result.IterationsCompleted);
        Assert.All(result.History, h => Assert.Null(h.Error));
        var fitting = await new VariationalTrainer(backward, TrainingScenarios.Dln1Small).TrainAsync(
            TrainingScenarios.NumberNetwork(forward), [.. train.Where((_, i) => !LongTrain.Contains(i))], [.. dev.Where((_, i) => i != LongDev)]);
        Assert.Equal(RunRecord.Of(fitting), RunRecord.Of(result));

        // The run folder lists them too.
        var lines = await File.ReadAllLinesAsync(Path.Combine(folder.Path, RunFolder.OverlongInputsFileName));
        Assert.Equal(4, lines.Length);
        Assert.Equal("train.jsonl:10", JsonDocument.Parse(lines[1]).RootElement.GetProperty("source").GetString());
        var report = await File.ReadAllTextAsync(Path.Combine(folder.Path, RunFolder.ReportFileName));
        Assert.Contains("## Inputs too long for the context window", report, StringComparison.Ordinal);
        Assert.Contains("| dev | 5 | dev.jsonl:6 | 0 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncate_cuts_each_long_input_to_the_longest_beginning_that_fits()
    {
        var (train, dev) = WithLongInputs();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var forward = new ContextWindowModel(world, Window);
        var backward = new ContextWindowModel(world, 8192);

        var result = await new VariationalTrainer(backward, TrainingScenarios.Dln1Small with { SkipUpdateWhenBatchCorrect = false }, new TrainingRunOptions { OverlongInputs = OverlongInputPolicy.Truncate })
            .TrainAsync(TrainingScenarios.NumberNetwork(forward), train, dev);

        Assert.Equal(4, result.OverlongInputs.Count);
        Assert.All(result.OverlongInputs, o => Assert.True(o.Truncated));
        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.Equal(TrainingScenarios.Dln1Small.Iterations, result.IterationsCompleted);
        Assert.Contains(forward.Answered, text => text.Contains("filler", StringComparison.Ordinal));

        // The cut input is the longest that fits: the request of the layer's output room filled to the last token.
        var network = TrainingScenarios.NumberNetwork(world);
        var fit = InputFitCheck.Check(TrainingScenarios.NumberNetwork(forward), train, "train", OverlongInputPolicy.Truncate);
        var cut = fit.Examples[LongTrain[0]]!;
        Assert.StartsWith(train[LongTrain[0]].Input[..40], cut.Input, StringComparison.Ordinal);
        Assert.Equal(Window - 2, ContextWindowModel.Count(network.OutputLayer.RenderWithoutDemonstrations(cut.Input)));
    }

    [Fact]
    public async Task Fail_refuses_the_data_before_any_call_naming_every_example()
    {
        var (train, dev) = WithLongInputs();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var forward = new ContextWindowModel(world, Window);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new VariationalTrainer(forward, run: new TrainingRunOptions { OverlongInputs = OverlongInputPolicy.Fail })
            .TrainAsync(TrainingScenarios.NumberNetwork(forward), train, dev));

        Assert.Equal(nameof(TrainingRunOptions.OverlongInputs), error.ParamName);
        Assert.Contains("4 examples cannot fit the context window", error.Message, StringComparison.Ordinal);
        Assert.Contains("train example 9 (train.jsonl:10): layer 0 (scripted:world) needs 3009 tokens, more than its 200", error.Message, StringComparison.Ordinal);
        Assert.Contains("dev example 5 (dev.jsonl:6)", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, world.Calls);
    }

    [Fact]
    public async Task A_backend_that_cannot_count_tokens_costs_the_overflowing_examples_only_at_run_time()
    {
        var (train, dev) = WithLongInputs();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var forward = new ContextWindowModel(world, Window, countsTokens: false);
        var backward = new ContextWindowModel(world, 4096, countsTokens: false);
        var options = TrainingScenarios.Dln1Small with { SkipUpdateWhenBatchCorrect = false, BatchSize = 20 };

        // With no error budget at all, a single failure would end the run.
        var result = await new VariationalTrainer(backward, options, new TrainingRunOptions { MaxFailedIterations = 0 })
            .TrainAsync(TrainingScenarios.NumberNetwork(forward), train, dev);

        Assert.Empty(result.OverlongInputs);
        Assert.Equal(options.Iterations, result.IterationsCompleted);
        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.True(forward.Overflows > 0);
        Assert.True(result.History.Sum(h => h.ContextOverflows) > 0, "no batch example was left out");

        // The initial validation is over the dev examples that fit.
        Assert.Equal(1, result.History[0].DevContextOverflows);
        var expected = await TrainingScenarios.NumberNetwork(world).EvaluateAsync(dev.Where((_, i) => i != LongDev));
        Assert.Equal(expected.Accuracy, result.History[0].DevAccuracy);
        Assert.All(result.History.Where(h => h.DevAccuracy is null), h => Assert.Equal(0, h.DevContextOverflows));
    }

    [Fact]
    public async Task Racing_runs_and_validations_that_stop_early_lose_only_the_examples_that_overflow()
    {
        var (train, dev) = WithLongInputs();
        var options = TrainingScenarios.Dln1Small with
        {
            SkipUpdateWhenBatchCorrect = false, BatchSize = 20, ValidationInterval = 1, CandidateRacing = new CandidateRacingOptions(),
        };

        async Task<TrainingResult> RunAsync(VariationalTrainerOptions o)
        {
            using var world = new ScriptedWorldModel(NumberParityTask.Instance);
            var forward = new ContextWindowModel(world, Window, countsTokens: false);
            var backward = new ContextWindowModel(world, 4096, countsTokens: false);
            return await new VariationalTrainer(backward, o, new TrainingRunOptions { MaxFailedIterations = 0 }).TrainAsync(TrainingScenarios.NumberNetwork(forward), train, dev);
        }

        var full = await RunAsync(options);
        var stopping = await RunAsync(options with { StopValidationEarly = true, ValidationChunkSize = 4 });

        foreach (var result in new[] { full, stopping })
        {
            Assert.Equal(options.Iterations, result.IterationsCompleted);
            Assert.All(result.History, h => Assert.Null(h.Error));
            Assert.True(result.History.Sum(h => h.ContextOverflows) > 0, "no batch example was left out");
            Assert.Equal(1, result.History[0].DevContextOverflows);
            Assert.Contains(result.History.SelectMany(h => h.Updates).SelectMany(u => u.CandidateScores), c => c.ExamplesScored is not null);
        }

        // The long dev example is left out of every validation of new prompts (a repeated one makes no call); one that
        // stops early decides what the full one did.
        var measured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in full.History.Where(h => h.DevAccuracy is not null))
        {
            Assert.Equal(measured.Add(string.Join("\n---\n", h.Prompts)) ? 1 : 0, h.DevContextOverflows);
        }

        Assert.True(measured.Count > 1, "the prompts never changed");
        Assert.Equal(full.BestPrompts, stopping.BestPrompts);
        Assert.Equal(full.BestDevAccuracy, stopping.BestDevAccuracy);
        Assert.Equal(full.History.Select(h => h.Prompts), stopping.History.Select(h => h.Prompts));
        Assert.Equal(full.History.Select(h => h.BestDevAccuracy), stopping.History.Select(h => h.BestDevAccuracy));
    }

    [Fact]
    public async Task A_candidate_too_long_for_some_examples_leaves_them_out_for_every_candidate()
    {
        // Half the training inputs are long enough that they fit under the initial prompt but not under a proposal made
        // 100 words longer: those examples are dropped from that update's scoring for all candidates.
        var (train, dev, _) = NumberParityTask.Splits();
        train = [.. train.Select((e, i) => i % 2 == 0 ? e with { Input = e.Input + " " + Filler(120) } : e)];
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var forward = new ContextWindowModel(world, Window, countsTokens: false);
        var backward = new LengtheningProposals(new ContextWindowModel(world, 4096));

        var result = await new VariationalTrainer(backward, TrainingScenarios.Dln1Small with { SkipUpdateWhenBatchCorrect = false }, new TrainingRunOptions { MaxFailedIterations = 0 })
            .TrainAsync(TrainingScenarios.NumberNetwork(forward), train, dev);

        var updates = result.History.SelectMany(h => h.Updates).ToArray();
        Assert.Contains(updates, u => u.ContextOverflows > 0);
        Assert.All(updates.Where(u => u.ContextOverflows > 0), u =>
        {
            Assert.All(u.CandidateScores, c => Assert.False(double.IsNaN(c.Score), $"{c.Origin} scored NaN"));
            Assert.Contains(u.CandidateScores, c => c.Prompt.EndsWith("padding", StringComparison.Ordinal));
        });
        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.Equal(TrainingScenarios.Dln1Small.Iterations, result.IterationsCompleted);
        Assert.True(result.History.Sum(h => h.ContextOverflows) >= updates.Sum(u => u.ContextOverflows));
    }

    [Fact]
    public void Candidates_are_scored_over_the_examples_that_fit_under_all_of_them()
    {
        static CandidateEvaluation Mean(double[] values, params int[] overflowed) => new(values.Length, overflowed.ToHashSet(),
            kept => (kept ?? [.. Enumerable.Range(0, values.Length)]).Average(i => values[i]));

        var (scores, dropped) = PromptSelector.Score([Mean([1, 2, 3]), Mean([10, double.NaN, 30], 1)]);
        Assert.Equal([2.0, 20.0], scores);
        Assert.Equal([1], dropped);

        // None left in common: the candidates that overflowed lose, the others are scored over the whole batch.
        (scores, dropped) = PromptSelector.Score([Mean([1, 2], 0), Mean([5, 7]), Mean([3, 4], 1)]);
        Assert.True(double.IsNaN(scores[0]));
        Assert.Equal(6.0, scores[1]);
        Assert.True(double.IsNaN(scores[2]));
        Assert.Equal([0, 1], dropped);
        Assert.Equal(1, PromptSelector.ArgMax(scores));
    }

    [Fact]
    public async Task A_meta_prompt_that_overflows_drops_shown_examples_one_at_a_time()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        ProposalExample[] shown = [.. Enumerable.Range(1, 5).Select(n => new ProposalExample($"Number: {n}", "no", n % 2 == 1 ? "yes" : "no", IsCorrect: false))];
        const int maxTokens = 32;
        const string current = "Answer the question.";
        var fitsTwo = ContextWindowModel.Count(MetaPrompt.Build(current, shown[..2], MetaPrompt.EditInstruction(0))) + maxTokens;

        // Each proposal keeps as many shown examples as fit with its own edit instruction (at least 2 for the first).
        var kept = Enumerable.Range(0, 4).Select(i => Enumerable.Range(1, 5).Last(k =>
            k == 1 || ContextWindowModel.Count(MetaPrompt.Build(current, shown[..k], MetaPrompt.EditInstruction(i))) + maxTokens <= fitsTwo)).ToArray();
        Assert.Equal(2, kept[0]);

        var small = new ContextWindowModel(world, fitsTwo);
        var proposer = new PromptProposer(small, 0.7, maxTokens, 4000, 5);
        var (proposals, statistics) = await proposer.ProposeAsync([current], shown, 4, new Random(7), new CallPurpose(CallRole.Backward, 0));

        Assert.Equal(4, proposals.Count);
        Assert.Equal(kept.Sum(k => 5 - k), statistics.ShownExamplesDropped); // 5 → 4 → 3 → 2 shown for the first
        Assert.Equal(0, statistics.ContextOverflows);
        Assert.Equal(kept.Sum(k => 5 - k), small.Overflows);
        Assert.Equal(kept.Order(), small.Answered.Select(meta => meta.Split("## Input\n").Length - 1).Order());

        // Too small for even one example: the proposals are dropped and counted, and nothing else fails.
        var tiny = new ContextWindowModel(world, fitsTwo - 40);
        (proposals, statistics) = await new PromptProposer(tiny, 0.7, maxTokens, 4000, 5).ProposeAsync([current], shown, 4, new Random(7), new CallPurpose(CallRole.Backward, 0));
        Assert.Empty(proposals);
        Assert.Equal(4, statistics.ContextOverflows);
        Assert.Equal(4 * 4, statistics.ShownExamplesDropped);
        Assert.Empty(tiny.Answered);
    }

    [Fact]
    public async Task A_training_run_whose_meta_prompts_overflow_still_proposes_from_fewer_examples()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        ProposalExample[] ten = [.. train.Take(10).Select(e => new ProposalExample(e.Input, "no", e.Target, IsCorrect: false))];
        var options = TrainingScenarios.Dln1Small with { SkipUpdateWhenBatchCorrect = false, BackwardMaxTokens = 64 };
        var backward = new ContextWindowModel(world, ContextWindowModel.Count(MetaPrompt.Build(TrainingScenarios.UninformativePrompt, ten[..4], MetaPrompt.EditInstruction(0))) + options.BackwardMaxTokens);

        var result = await new VariationalTrainer(backward, options, new TrainingRunOptions { MaxFailedIterations = 0 }).TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);

        var proposals = result.History.SelectMany(h => h.Updates).Select(u => u.Proposals).Aggregate((a, b) => a + b);
        Assert.True(proposals.ShownExamplesDropped > 0);
        Assert.True(backward.Overflows > 0);
        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.Equal(options.Iterations, result.IterationsCompleted);
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
    }

    [Fact]
    public async Task In_a_two_layer_network_a_hint_sample_that_overflows_leaves_its_example_out_of_the_posterior()
    {
        var (train, dev, _) = TrainingScenarios.DigitSumData();
        var padding = Filler(60);
        train = [.. train.Select((e, i) => i % 3 == 0 ? e with { Input = e.Input + " " + padding } : e)];
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStepJoint);
        var probe = TrainingScenarios.DigitSumTwoLayer(world);
        // The hidden layer's forward pass of a padded input just fits; its hint samples (input, then the expected
        // answer) do not.
        var window = ContextWindowModel.Count(probe.Layers[0].Render(train[0].Input)) + probe.Layers[0].OutputSpace.MaxTokens;
        var model = new ContextWindowModel(world, window, countsTokens: false);

        var result = await new VariationalTrainer(model, TrainingScenarios.Dln2Small, new TrainingRunOptions { MaxFailedIterations = 0 })
            .TrainAsync(TrainingScenarios.DigitSumTwoLayer(model), train, dev);

        Assert.True(model.Overflows > 0);

        // Iteration 1 runs the initial prompts, under which every forward pass fits: what it left out, the posterior did.
        Assert.False(result.History[1].Skipped);
        Assert.True(result.History[1].ContextOverflows > 0, "no example was left out of the posterior");
        Assert.True(result.History[1].Updates.Count == 2, "both layers were updated");
        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.Equal(TrainingScenarios.Dln2Small.Iterations, result.IterationsCompleted);
    }

    [Fact]
    public async Task An_evaluation_skips_test_inputs_that_cannot_fit_reports_them_and_scores_the_others()
    {
        var (_, _, test) = NumberParityTask.Splits();
        var filler = string.Join(' ', Enumerable.Repeat("filler", 500));
        test = [.. test.Select((e, i) => i is 1 or 4 ? e with { Input = e.Input + " " + filler, Source = $"test.jsonl:{i + 1}" } : e)];
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var counting = new ContextWindowModel(world, Window);
        var hosted = new ContextWindowModel(world, Window, countsTokens: false);
        var expected = await TrainingScenarios.NumberNetwork(world).EvaluateAsync(test.Where((_, i) => i is not 1 and not 4));

        var checkedFirst = await TrainingScenarios.NumberNetwork(counting).EvaluateAsync(test);
        var atRunTime = await TrainingScenarios.NumberNetwork(hosted).EvaluateAsync(test);

        Assert.Equal([("test", 1, "test.jsonl:2"), ("test", 4, "test.jsonl:5")], checkedFirst.OverlongInputs.Select(o => (o.Split, o.Index, o.Source)));
        Assert.Empty(atRunTime.OverlongInputs);
        foreach (var result in new[] { checkedFirst, atRunTime })
        {
            Assert.Equal(test.Length, result.Results.Count);
            Assert.Equal([1, 4], result.Results.Select((r, i) => (r, i)).Where(x => x.r.Skipped).Select(x => x.i));
            Assert.Equal(2, result.Skipped);
            Assert.Equal(expected.Correct, result.Correct);
            Assert.Equal(expected.Accuracy, result.Accuracy);
        }

        Assert.Equal(0, counting.Overflows);
        Assert.Equal(2, hosted.Overflows);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => TrainingScenarios.NumberNetwork(counting).EvaluateAsync(test, null, OverlongInputPolicy.Fail));
        Assert.Contains("test example 1 (test.jsonl:2)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_later_layer_is_checked_with_an_empty_hidden_text()
    {
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStep);
        var wide = new ContextWindowModel(world, 10_000);
        var narrow = new ContextWindowModel(world, 300);
        var network = new Dln(
        [
            new LanguageLayer(wide, LayerTemplates.Hidden, string.Empty, OutputSpace.FreeText(256)),
            new LanguageLayer(narrow, LayerTemplates.Output, TrainingScenarios.UninformativePrompt, TrainingScenarios.YesNo),
        ]);
        Example[] examples =
        [
            new("Number: 12", "yes"),
            new("Number: 34 " + string.Join(' ', Enumerable.Repeat("filler", 200)), "no"), // fits the output layer only with a short hidden text
            new("Number: 56 " + string.Join(' ', Enumerable.Repeat("filler", 400)), "yes"), // fits the hidden layer, never the output layer
        ];

        var fit = InputFitCheck.Check(network, examples, "train", OverlongInputPolicy.Skip);

        var overlong = Assert.Single(fit.Overlong);
        Assert.Equal((2, 1, 300), (overlong.Index, overlong.Layer, overlong.ContextLength));
        Assert.Equal(examples[..2], fit.Kept);
    }

    private static string Filler(int words) => string.Join(' ', Enumerable.Repeat("filler", words)).Replace("filler", "padding", StringComparison.Ordinal);

    /// <summary>NumberParity splits in which three training inputs and one dev input are 3,000 words long, with sources.</summary>
    private static (Example[] Train, Example[] Dev) WithLongInputs()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        var filler = string.Join(' ', Enumerable.Repeat("filler", 3000));
        train = [.. train.Select((e, i) => (LongTrain.Contains(i) ? e with { Input = e.Input + " " + filler } : e) with { Source = $"train.jsonl:{i + 1}" })];
        dev = [.. dev.Select((e, i) => (i == LongDev ? e with { Input = e.Input + " " + filler } : e) with { Source = $"dev.jsonl:{i + 1}" })];
        return (train, dev);
    }

    /// <summary>Makes the first proposal of every layer update 100 words longer, as a verbose backward model would.</summary>
    private sealed class LengtheningProposals(ILanguageModel inner) : DelegatingLanguageModel(inner)
    {
        protected override async Task<TResponse> InvokeAsync<TResponse>(
            LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
        {
            var response = await next(request, cancellationToken).ConfigureAwait(false);
            if (request is GenerationRequest { SampleIndex: 0 } g && g.Prompt.StartsWith(ContextParser.MetaPromptOpening, StringComparison.Ordinal) && response is GenerationResponse generated)
            {
                return (TResponse)(LanguageModelResponse)(generated with { Text = generated.Text.Split("\n\n")[0].Split("[END]")[0].TrimEnd() + " " + Filler(100) });
            }

            return response;
        }
    }
}
