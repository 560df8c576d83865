using DeepLanguageNetworks.Tests.Fakes;

namespace DeepLanguageNetworks.Tests.Layers;

/// <summary>How a classification layer chooses and runs its class scoring (<see cref="ClassScoring"/>).</summary>
public class ClassScoringTests
{
    private static readonly OutputSpace Sentiment = OutputSpace.FromClasses("negative|Negative", "positive");

    private static ContinuationResponse Scored(double logProbability, long inputTokens = 10) =>
        new([new TokenLogProbability("x", logProbability)], new LanguageModelUsage(inputTokens, 0));

    private static LanguageLayer Layer(ILanguageModel model, ClassScoring scoring = ClassScoring.Auto) =>
        new(model, LayerTemplates.Output, "Judge the review.", Sentiment, new LanguageLayerOptions { ClassScoring = scoring });

    [Fact]
    public async Task Continuation_scoring_scores_every_spelling_after_the_context_and_a_newline()
    {
        var model = ScriptedLanguageModel.WithEverything();
        var logProbabilities = new Dictionary<string, double> { ["negative"] = -2.0, ["Negative"] = -3.0, ["positive"] = -1.5 };
        model.OnContinuation = r => Scored(logProbabilities[r.Continuation], inputTokens: r.Context.Length);
        var layer = Layer(model, ClassScoring.Continuation);

        var output = await layer.ForwardAsync("A dull film.", purpose: new CallPurpose(CallRole.Evaluation, 0));

        var requests = model.ContinuationRequests;
        Assert.Equal(["Negative", "negative", "positive"], requests.Select(r => r.Continuation).Order(StringComparer.Ordinal));
        Assert.All(requests, r => Assert.Equal(layer.Render("A dull film.") + "\n", r.Context));
        Assert.All(requests, r => Assert.Equal(new CallPurpose(CallRole.Evaluation, 0), r.Purpose));
        Assert.Empty(model.NextTokenRequests);
        Assert.Empty(model.Generations);

        // mass(negative) = e^-2 + e^-3 = 0.185122, mass(positive) = e^-1.5 = 0.223130 → P(negative) = 0.453457.
        var negative = Math.Exp(-2) + Math.Exp(-3);
        var positive = Math.Exp(-1.5);
        Assert.Equal(negative / (negative + positive), output.Distribution!.Probabilities[0], 1e-12);
        Assert.Equal("positive", output.PredictedClass?.Label);
        Assert.Equal("positive", output.Text);
        Assert.Equal(new LanguageModelUsage(3 * requests[0].Context.Length, 0), output.Usage);
    }

    [Fact]
    public async Task The_spellings_are_requested_together_before_any_answer_is_awaited()
    {
        var gate = new GatedContinuations();
        var layer = Layer(gate, ClassScoring.Continuation);

        var scoring = layer.ScoreClassesAsync("A dull film.");
        await gate.AllArrived.WaitAsync(TimeSpan.FromSeconds(10));
        gate.Release();
        var distribution = await scoring;

        Assert.Equal(3, gate.Arrived);

        // Every spelling scores -1: negative has two of the three spellings.
        Assert.Equal(2.0 / 3, distribution.Probabilities[0], 12);
    }

    [Fact]
    public void Auto_without_a_tokenizer_keeps_next_token_scoring()
    {
        var layer = Layer(ScriptedLanguageModel.WithEverything());

        Assert.Equal(ClassScoring.NextToken, layer.EffectiveClassScoring);
    }

    [Fact]
    public async Task Auto_with_a_tokenizer_scores_by_continuation_when_a_spelling_is_several_tokens()
    {
        // A tokenizer counting one token per character: "negative" is 8 tokens after the cue.
        var inner = ScriptedLanguageModel.WithEverything();
        inner.OnContinuation = _ => Scored(-1);
        using var model = new TokenizingModel(inner, text => text.Length);
        var layer = Layer(model);

        Assert.Equal(ClassScoring.Continuation, layer.EffectiveClassScoring);
        await layer.ScoreClassesAsync("x");
        Assert.Equal(3, inner.ContinuationRequests.Count);
        Assert.Empty(inner.NextTokenRequests);
        Assert.Contains(model.Counted, t => t.EndsWith("Answer:\nnegative", StringComparison.Ordinal));
    }

    [Fact]
    public void Auto_with_a_tokenizer_keeps_next_token_scoring_when_every_spelling_is_one_token()
    {
        // One token per word: every spelling is a single word, so one token after the cue.
        using var model = new TokenizingModel(ScriptedLanguageModel.WithEverything(), text => text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.Equal(ClassScoring.NextToken, Layer(model).EffectiveClassScoring);
        Assert.Equal(ClassScoring.Continuation, Layer(model, ClassScoring.Continuation).EffectiveClassScoring);
    }

    [Fact]
    public void Auto_needs_continuation_scoring_and_uses_it_when_next_token_is_missing()
    {
        var nextTokenOnly = new ScriptedLanguageModel(new LanguageModelCapabilities { NextTokenLogProbabilities = true, MaxTopLogProbabilities = 20 });
        var continuationOnly = new ScriptedLanguageModel(new LanguageModelCapabilities { ContinuationLogProbabilities = true });
        using var tokenizingNextTokenOnly = new TokenizingModel(nextTokenOnly, text => text.Length);

        Assert.Equal(ClassScoring.NextToken, Layer(tokenizingNextTokenOnly).EffectiveClassScoring);
        Assert.Equal(ClassScoring.Continuation, Layer(continuationOnly).EffectiveClassScoring);
        Assert.Equal(ClassScoring.NextToken, Layer(continuationOnly, ClassScoring.NextToken).EffectiveClassScoring);
    }

    [Fact]
    public void A_free_text_layer_resolves_to_next_token_and_never_asks_for_a_tokenizer()
    {
        using var model = new TokenizingModel(ScriptedLanguageModel.WithEverything(), _ => throw new InvalidOperationException("must not count"));
        var layer = new LanguageLayer(model, LayerTemplates.InstructionThenInput, "p", OutputSpace.FreeText());

        Assert.Equal(ClassScoring.NextToken, layer.EffectiveClassScoring);
    }

    [Fact]
    public async Task Continuation_scoring_on_a_backend_without_it_names_the_missing_operation()
    {
        var model = new ScriptedLanguageModel(new LanguageModelCapabilities { NextTokenLogProbabilities = true, MaxTopLogProbabilities = 20 }, modelId: "chat-only");
        var layer = Layer(model, ClassScoring.Continuation);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => layer.ScoreClassesAsync("x"));

        Assert.Contains(nameof(LanguageModelCapabilities.ContinuationLogProbabilities), error.Message, StringComparison.Ordinal);
        Assert.Contains("chat-only", error.Message, StringComparison.Ordinal);
        Assert.Empty(model.NextTokenRequests);
    }

    [Fact]
    public async Task Forward_falls_back_to_generation_when_the_backend_lacks_what_the_scoring_needs()
    {
        var model = new ScriptedLanguageModel(new LanguageModelCapabilities { NextTokenLogProbabilities = true, MaxTopLogProbabilities = 20 }).Generates(_ => " Negative.");
        var layer = Layer(model, ClassScoring.Continuation);

        var output = await layer.ForwardAsync("x");

        Assert.Equal("negative", output.PredictedClass?.Label);
        Assert.Single(model.Generations);
        Assert.Empty(model.NextTokenRequests);
    }

    [Fact]
    public async Task The_trainer_refuses_before_any_call_a_continuation_scored_output_on_a_backend_without_continuations()
    {
        var model = new ScriptedLanguageModel(new LanguageModelCapabilities { NextTokenLogProbabilities = true, MaxTopLogProbabilities = 20 }, modelId: "chat-only");
        var network = new Dln([Layer(model, ClassScoring.Continuation)]);
        Example[] data = [new("good", "positive"), new("bad", "negative")];

        var error = await Assert.ThrowsAsync<NotSupportedException>(() =>
            new VariationalTrainer(model, VariationalTrainerOptions.Dln1 with { Iterations = 1, OutputScoring = OutputScoring.LogProbabilities }).TrainAsync(network, data, data));

        Assert.Contains(nameof(LanguageModelCapabilities.ContinuationLogProbabilities), error.Message, StringComparison.Ordinal);
        Assert.Empty(model.NextTokenRequests);
        Assert.Empty(model.Generations);
    }

    [Fact]
    public async Task The_trainer_trains_a_continuation_scored_output_on_a_backend_without_next_token_log_probabilities()
    {
        var model = new ScriptedLanguageModel(new LanguageModelCapabilities { ContinuationLogProbabilities = true }, modelId: "completions-only")
            .Generates(_ => "Say whether the review is positive or negative.");

        // The gold class is likelier when the prompt mentions both classes: the proposal should win.
        model.OnContinuation = r => Scored(r.Context.Contains("positive or negative", StringComparison.Ordinal) == (r.Continuation.Equals("positive", StringComparison.OrdinalIgnoreCase) == r.Context.Contains("good", StringComparison.Ordinal)) ? -0.1 : -3);
        var network = new Dln([Layer(model)]);
        Example[] data = [new("good", "positive"), new("bad", "negative")];

        await new VariationalTrainer(model, VariationalTrainerOptions.Dln1 with { Iterations = 1, BatchSize = 2, PromptCandidates = 2, EvaluateBeforeTraining = false, SkipUpdateWhenBatchCorrect = false })
            .TrainAsync(network, data, data);

        Assert.Equal(ClassScoring.Continuation, network.OutputLayer.EffectiveClassScoring);
        Assert.Equal("Say whether the review is positive or negative.", network.OutputLayer.Prompt);
        Assert.NotEmpty(model.ContinuationRequests);
    }

    /// <summary>Answers continuation requests only once three have arrived, so a layer that awaited each in turn would hang.</summary>
    private sealed class GatedContinuations() : DelegatingLanguageModel(ScriptedLanguageModel.WithEverything())
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public int Arrived => Volatile.Read(ref _arrived);

        public Task AllArrived => _allArrived.Task;

        public void Release() => _release.TrySetResult();

        public override async Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _arrived) == 3)
            {
                _allArrived.TrySetResult();
            }

            await _release.Task.WaitAsync(cancellationToken);
            return Scored(-1);
        }
    }

    /// <summary>Adds a tokenizer service to a model and records what it was asked to count.</summary>
    private sealed class TokenizingModel(ILanguageModel inner, Func<string, int> count) : DelegatingLanguageModel(inner), ILanguageModelTokenizer
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _counted = new();

        public IReadOnlyList<string> Counted => [.. _counted];

        public int CountTokens(string text)
        {
            _counted.Enqueue(text);
            return count(text);
        }
    }
}
