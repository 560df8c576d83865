using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;
using DeepLanguageNetworks.Tests.Training;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Reliability;

/// <summary>
/// Odd model outputs never crash a run: each is handled by a documented rule (proposals: <see cref="PromptProposer"/>;
/// answers outside the classes: counted wrong; empty or truncated hidden texts: kept and counted) and counted in the
/// run's history.
/// </summary>
public sealed class OddOutputTests(ITestOutputHelper output) : IDisposable
{
    private const int MaxPromptCharacters = 4000;
    private static readonly string LongProposal = string.Concat(Enumerable.Repeat("Think carefully about the number, then answer. ", 250))[..10_000];
    private static readonly string LongEmojiProposal = string.Concat(Enumerable.Repeat("🙂", 5_000));

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("> ## Instruction [END]", "", true)]
    [InlineData("> ## Improved instruction\n> Answer yes if the number is odd.", "Answer yes if the number is odd.", true)]
    [InlineData("> > Answer briefly.", "Answer briefly.", true)]
    [InlineData(">\n>\n> ", "", true)]
    [InlineData("Answer briefly.\r\n[END]\r\n", "Answer briefly.", true)]
    public void Clean_removes_quoted_headings_and_nested_quote_markers(string raw, string expected, bool markers)
    {
        Assert.Equal(expected, MetaPrompt.Clean(raw, MaxPromptCharacters, out var clipped, out var markersRemoved));
        Assert.False(clipped);
        Assert.Equal(markers, markersRemoved);
    }

    [Theory]
    [InlineData(4001)]
    [InlineData(4000)]
    [InlineData(7)]
    public void Clipping_never_splits_a_surrogate_pair(int limit)
    {
        var text = MetaPrompt.Clean(LongEmojiProposal, limit, out var clipped, out _);

        Assert.True(clipped);
        Assert.InRange(text.Length, limit - 1, limit);
        Assert.True(IsValidUtf16(text), "the clipped text ends in half a surrogate pair");
    }

    [Fact]
    public async Task Odd_proposals_are_filtered_clipped_or_merged_by_the_rules_and_counted_in_the_history()
    {
        var scenario = FaultScenario.Dln1;
        using var world = new ScriptedWorldModel(scenario.Task);
        // Proposals 0–5 are odd, whatever the backend was asked (it ignores the stop sequences); 6–9 are the world's own.
        var backward = new RewritingModel(world, request =>
        {
            if (!ContextParser.TryParseMetaPrompt(request.Prompt, out var meta))
            {
                return null;
            }

            return request.SampleIndex switch
            {
                0 => RewritingModel.Answer(string.Empty),
                1 => RewritingModel.Answer("  \n\t  "),
                2 => RewritingModel.Answer("> ## Instruction [END]"),
                3 => RewritingModel.Answer(LongProposal, FinishReason.Length),
                4 => RewritingModel.Answer(meta.CurrentInstruction ?? string.Empty),
                5 => RewritingModel.Answer(LongEmojiProposal, FinishReason.Length),
                _ => null,
            };
        });
        var options = scenario.Options with
        {
            PromptCandidates = 11,
            SkipUpdateWhenBatchCorrect = false,
            MaxPromptCharacters = MaxPromptCharacters,
        };
        var run = scenario.Run with { CheckpointPath = Path.Combine(_folder.Path, "run.json") };

        var result = await new VariationalTrainer(backward, options, run).TrainAsync(scenario.MakeNetwork(world), scenario.Train, scenario.Dev);
        output.WriteLine(TrainingScenarios.Describe(result));

        var updates = result.History.SelectMany(h => h.Updates).ToArray();
        Assert.Equal(options.Iterations, updates.Length);
        Assert.All(updates, u =>
        {
            Assert.Equal(10, u.Proposals.Requested);
            Assert.Equal(3, u.Proposals.Empty);          // empty, whitespace, markup only: dropped
            Assert.Equal(2, u.Proposals.Clipped);        // 10,000 characters: cut to the limit
            Assert.True(u.Proposals.MarkersRemoved >= 1, $"markers removed {u.Proposals.MarkersRemoved}");
            Assert.True(u.Proposals.Duplicates >= 1, $"duplicates {u.Proposals.Duplicates}"); // the current prompt verbatim: scored once
            Assert.Equal(u.CandidateScores.Count, u.CandidateScores.Select(c => c.Prompt).Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(u.Candidates, u.CandidateScores.Count);
            Assert.All(u.CandidateScores, c =>
            {
                Assert.NotEqual(string.Empty, c.Prompt.Trim());
                Assert.InRange(c.Prompt.Length, 1, MaxPromptCharacters);
                Assert.DoesNotContain(MetaPrompt.EndMarker, c.Prompt, StringComparison.Ordinal);
                Assert.DoesNotContain(c.Prompt.Split('\n'), line => line.TrimStart().StartsWith('#') || line.TrimStart().StartsWith('>'));
                Assert.True(IsValidUtf16(c.Prompt), "a candidate is not valid UTF-16");
            });
            Assert.Contains(u.CandidateScores, c => c.Prompt.StartsWith("Think carefully about the number", StringComparison.Ordinal) && c.Prompt.Length > 3900);
            Assert.Contains(u.CandidateScores, c => c.Prompt.StartsWith("🙂", StringComparison.Ordinal) && c.Prompt.Length >= MaxPromptCharacters - 1);
        });

        // The run still learns from the proposals that made sense, and its checkpoint (holding every candidate) loads.
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
        var checkpoint = await TrainingCheckpoint.LoadAsync(run.CheckpointPath!);
        Assert.Equal(RunRecord.Of(result.History, accounting: false), RunRecord.Of(checkpoint.History, accounting: false));
    }

    [Fact]
    public async Task Answers_outside_the_classes_are_counted_wrong_and_counted_in_the_history()
    {
        var scenario = FaultScenario.Dln1;
        using var world = new ScriptedWorldModel(scenario.Task, LanguageModelCapabilities.GenerationOnly);
        var iteration = 0;
        var outsideByIteration = new int[scenario.Options.Iterations + 1];
        // Numbers that are multiples of 5 get "Maybe." (not a class); the rest the world's "Yes." or "No.".
        var model = new RewritingModel(world, request =>
        {
            if (!ContextParser.TryParseOutput(request.Prompt, out var call) || NumberParityTask.ParseNumber(call.Input) % 5 != 0)
            {
                return null;
            }

            if (request.Purpose.Role == CallRole.Forward)
            {
                Interlocked.Increment(ref outsideByIteration[Volatile.Read(ref iteration)]);
            }

            return RewritingModel.Answer("Maybe.");
        });
        // Without the cache, so that every forward call of every batch reaches the model and is counted above.
        var options = scenario.Options with { SkipUpdateWhenBatchCorrect = false };
        var direct = scenario.Run with { RuntimeDecorators = RuntimeDecorators.None };
        var progress = new SynchronousProgress(p => Volatile.Write(ref iteration, p.Iteration + 1));

        var result = await new VariationalTrainer(model, options, direct).TrainAsync(scenario.MakeNetwork(model), scenario.Train, scenario.Dev, progress);
        output.WriteLine(TrainingScenarios.Describe(result));

        var iterations = result.History.Where(h => h.Iteration > 0).ToArray();
        Assert.Equal(outsideByIteration[1..], iterations.Select(h => h.AnswersOutsideClasses));
        Assert.True(iterations.Sum(h => h.AnswersOutsideClasses) > 0);
        Assert.All(iterations, h => Assert.True(h.BatchAccuracy <= 1 - (h.AnswersOutsideClasses / (double)options.BatchSize) + 1e-12, $"iteration {h.Iteration}: {h.BatchAccuracy}"));

        // Evaluation counts them wrong, and shows the model's text as the prediction.
        var fives = scenario.Dev.Where(e => NumberParityTask.ParseNumber(e.Input) % 5 == 0).ToArray();
        var evaluation = await scenario.MakeNetwork(model).EvaluateAsync(fives);
        Assert.All(evaluation.Results, r =>
        {
            Assert.False(r.IsCorrect);
            Assert.Equal("Maybe.", r.Prediction);
        });
    }

    [Fact]
    public async Task Empty_and_truncated_hidden_texts_are_kept_counted_and_training_continues()
    {
        var scenario = FaultScenario.Dln2;
        using var world = new ScriptedWorldModel(scenario.Task);
        var iteration = 0;
        var empty = new int[scenario.Options.Iterations + 1];
        var truncated = new int[scenario.Options.Iterations + 1];
        // Hidden texts of numbers ≡ 0 (mod 3) are empty; of numbers ≡ 1 (mod 3) cut at the token limit half-way.
        var model = new RewritingModel(world, request =>
        {
            if (!ContextParser.TryParseHidden(request.Prompt, out var call) || NumberParityTask.ParseNumber(call.Input) is not { } number || number % 3 == 2)
            {
                return null;
            }

            var forward = request.Purpose.Role == CallRole.Forward;
            if (number % 3 == 0)
            {
                if (forward)
                {
                    Interlocked.Increment(ref empty[Volatile.Read(ref iteration)]);
                }

                return RewritingModel.Answer(string.Empty);
            }

            if (forward)
            {
                Interlocked.Increment(ref truncated[Volatile.Read(ref iteration)]);
            }

            var text = request.Temperature > 0 ? scenario.Task.SampleThought(call, SeededRandom.For(request.Seed, request.SampleIndex)) : scenario.Task.Think(call);
            return RewritingModel.Answer(text[..(text.Length / 2)], FinishReason.Length);
        });
        var options = scenario.Options with { SkipUpdateWhenBatchCorrect = false };
        var direct = scenario.Run with { RuntimeDecorators = RuntimeDecorators.None };
        var progress = new SynchronousProgress(p => Volatile.Write(ref iteration, p.Iteration + 1));

        var result = await new VariationalTrainer(model, options, direct).TrainAsync(scenario.MakeNetwork(model), scenario.Train, scenario.Dev, progress);
        output.WriteLine(TrainingScenarios.Describe(result));

        var iterations = result.History.Where(h => h.Iteration > 0).ToArray();
        Assert.Equal(options.Iterations, result.IterationsCompleted);
        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.Equal(empty[1..], iterations.Select(h => h.EmptyHiddenTexts));
        Assert.Equal(truncated[1..], iterations.Select(h => h.TruncatedHiddenTexts));
        Assert.True(empty.Sum() > 0 && truncated.Sum() > 0);
        Assert.All(iterations, h => Assert.Equal(2, h.Updates.Count));
    }

    private static bool IsValidUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
