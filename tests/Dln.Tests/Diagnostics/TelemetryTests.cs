using System.Diagnostics;
using DeepLanguageNetworks.Tests.Scripted;
using DeepLanguageNetworks.Tests.Training;

namespace DeepLanguageNetworks.Tests.Diagnostics;

/// <summary>A training run seen through OpenTelemetry: nested spans per run, iteration, phase and call; call metrics that add up.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    private static readonly string[] Phases = ["dln.forward", "dln.posterior", "dln.propose", "dln.score"];
    private static readonly string[] Operations = ["text_completion", "next_token_logprobs", "score_continuation"];

    [Fact]
    public async Task Two_layer_training_emits_nested_spans_and_metrics_that_match_its_result()
    {
        var (train, dev, _) = TrainingScenarios.DigitSumData();
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStep);
        var options = TrainingScenarios.Dln2Small with { Iterations = 2, SkipUpdateWhenBatchCorrect = false };
        using var capture = new TelemetryCapture();

        var result = await new VariationalTrainer(world, options).TrainAsync(TrainingScenarios.DigitSumTwoLayer(world), train, dev);

        var all = capture.Spans;
        var run = Assert.Single(all, s => s.OperationName == "dln.train");
        var spans = all.Where(s => s.TraceId == run.TraceId).ToArray();
        Assert.Equal(default, run.ParentSpanId);
        Assert.Equal(options.Iterations, run.GetTagItem("dln.iterations_completed"));
        Assert.Equal(result.BestDevAccuracy, run.GetTagItem("dln.best_dev_accuracy"));
        var byId = spans.ToDictionary(s => s.SpanId);
        string ParentName(Activity s) => byId[s.ParentSpanId].OperationName;

        var iterations = spans.Where(s => s.OperationName == "dln.iteration").ToArray();
        Assert.Equal(Enumerable.Range(1, options.Iterations), iterations.Select(s => (int)s.GetTagItem("dln.iteration")!).Order());
        Assert.All(iterations, s => Assert.Equal("dln.train", ParentName(s)));

        // Initial validation, then after iteration 2 (the validation interval and the last iteration).
        var validations = spans.Where(s => s.OperationName == "dln.validate").ToArray();
        Assert.Equal(2, validations.Length);
        Assert.All(validations, s => Assert.Equal("dln.train", ParentName(s)));

        foreach (var phase in Phases)
        {
            var phaseSpans = spans.Where(s => s.OperationName == phase).ToArray();
            Assert.NotEmpty(phaseSpans);
            Assert.All(phaseSpans, s => Assert.Equal("dln.iteration", ParentName(s)));
        }

        // Two layers: each iteration proposes and scores prompts for both.
        Assert.Equal(2 * options.Iterations, spans.Count(s => s.OperationName == "dln.propose"));
        Assert.Equal(2 * options.Iterations, spans.Count(s => s.OperationName == "dln.score"));

        // One client span per request, named after the GenAI conventions, under a phase or a validation.
        var calls = spans.Where(s => s.GetTagItem("gen_ai.operation.name") is not null).ToArray();
        Assert.Equal(result.Usage.Total.Requests, calls.Length);
        Assert.All(calls, s =>
        {
            Assert.Equal(ActivityKind.Client, s.Kind);
            Assert.Contains((string)s.GetTagItem("gen_ai.operation.name")!, Operations);
            Assert.Equal($"{s.GetTagItem("gen_ai.operation.name")} world", s.DisplayName);
            Assert.Equal("world", s.GetTagItem("gen_ai.request.model"));
            Assert.Equal("scripted", s.GetTagItem("gen_ai.provider.name"));
            Assert.Contains(ParentName(s), Phases.Append("dln.validate"));
            Assert.NotNull(s.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.NotNull(s.GetTagItem("dln.call.role"));
        });
        Assert.All(calls.Where(s => (string)s.GetTagItem("gen_ai.operation.name")! == "text_completion"), s =>
        {
            Assert.IsType<double>(s.GetTagItem("gen_ai.request.temperature"));
            Assert.IsType<int>(s.GetTagItem("gen_ai.request.max_tokens"));
        });
        Assert.Contains(calls, s => (double)(s.GetTagItem("gen_ai.request.temperature") ?? 0.0) == options.BackwardTemperature && ParentName(s) == "dln.posterior");
        Assert.Equal(result.Usage.Total.InputTokens, calls.Where(s => !(bool)s.GetTagItem("dln.cache.hit")!).Sum(s => (long)s.GetTagItem("gen_ai.usage.input_tokens")!));
        Assert.Equal(result.Usage.For(CallRole.Backward).Requests, calls.Count(s => (string)s.GetTagItem("dln.call.role")! == "backward"));

        // No span carries a prompt: the initial output prompt is part of every output-layer prompt.
        Assert.All(spans.SelectMany(s => s.TagObjects), t => Assert.DoesNotContain(TrainingScenarios.UninformativePrompt, t.Value?.ToString() ?? string.Empty, StringComparison.Ordinal));

        // Metrics add up to the run's own accounting.
        var callPoints = capture.Points("dln.calls");
        Assert.Equal(result.Calls, callPoints.Where(p => Equals(TelemetryCapture.TagsOf(p)["dln.cache.hit"], false)).Sum(p => p.GetSumLong()));
        Assert.Equal(result.Usage.Total.CacheHits, callPoints.Where(p => Equals(TelemetryCapture.TagsOf(p)["dln.cache.hit"], true)).Sum(p => p.GetSumLong()));
        Assert.True(result.Usage.Total.CacheHits > 0, "the run's cache answered nothing; the cache-hit metric is untested");
        Assert.Equal(result.Usage.Total.CacheHits, capture.Points("dln.cache.hits").Sum(p => p.GetSumLong()));
        Assert.Equal(
            result.Usage.For(CallRole.Scoring).Requests,
            callPoints.Where(p => Equals(TelemetryCapture.TagsOf(p)["dln.call.role"], "scoring")).Sum(p => p.GetSumLong()));

        var tokens = capture.Points("gen_ai.client.token.usage");
        double TokenSum(string type) => tokens.Where(p => Equals(TelemetryCapture.TagsOf(p)["gen_ai.token.type"], type)).Sum(p => p.GetHistogramSum());
        Assert.Equal(result.Usage.Total.InputTokens, TokenSum("input"));
        Assert.Equal(result.Usage.Total.OutputTokens, TokenSum("output"));
        Assert.Equal(result.Tokens, TokenSum("input") + TokenSum("output"));
        Assert.Equal(result.Calls, tokens.Where(p => Equals(TelemetryCapture.TagsOf(p)["gen_ai.token.type"], "input")).Sum(p => p.GetHistogramCount()));

        var durations = capture.Points("gen_ai.client.operation.duration");
        Assert.Equal(result.Usage.Total.Requests, durations.Sum(p => p.GetHistogramCount()));
        Assert.All(durations, p => Assert.True(p.GetHistogramSum() >= 0));
    }

    [Fact]
    public async Task A_failed_call_is_an_error_span_and_is_counted_with_its_error_type()
    {
        using var backend = new CountingLanguageModel(modelId: "m", endpoint: "https://llm.example.invalid:8443/v1") { FailOn = n => n == 2 ? new TimeoutException("slow") : null };
        using var model = backend.AsBuilder().UseTelemetry().Build();
        using var capture = new TelemetryCapture();
        using var parent = Telemetry.ActivitySource.StartActivity("test.parent");
        var purpose = new CallPurpose(CallRole.Scoring, 1);

        await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("ctx", TopK: 5) { Purpose = purpose });
        await Assert.ThrowsAsync<TimeoutException>(() => model.ScoreContinuationAsync(new ContinuationRequest("ctx", " yes") { Purpose = purpose }));
        parent!.Stop();

        var spans = capture.Spans.Where(s => s.TraceId == parent.TraceId && s.Kind == ActivityKind.Client).ToArray();
        Assert.Equal(["next_token_logprobs m", "score_continuation m"], spans.Select(s => s.DisplayName));
        Assert.All(spans, s => Assert.Equal(parent.SpanId, s.ParentSpanId));
        var (ok, failed) = (spans[0], spans[1]);
        Assert.Equal(ActivityStatusCode.Unset, ok.Status);
        Assert.Equal(5, ok.GetTagItem("gen_ai.request.top_k"));
        Assert.Equal(1, ok.GetTagItem("dln.call.layer"));
        Assert.Equal("llm.example.invalid", ok.GetTagItem("server.address"));
        Assert.Equal(8443, ok.GetTagItem("server.port"));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(typeof(TimeoutException).FullName, failed.GetTagItem("error.type"));
        Assert.Null(failed.GetTagItem("gen_ai.usage.input_tokens"));

        var calls = capture.Points("dln.calls").Select(p => (Tags: TelemetryCapture.TagsOf(p), Sum: p.GetSumLong())).ToArray();
        Assert.Equal(1, Assert.Single(calls, c => c.Tags.TryGetValue("error.type", out var e) && Equals(e, typeof(TimeoutException).FullName)).Sum);
        Assert.Equal(1, Assert.Single(calls, c => !c.Tags.ContainsKey("error.type")).Sum);
        // The failed call spent no tokens that anyone knows of: only the successful one is in the token histogram.
        Assert.Equal(2, capture.Points("gen_ai.client.token.usage").Sum(p => p.GetHistogramCount()));
        Assert.Equal(2, capture.Points("gen_ai.client.operation.duration").Sum(p => p.GetHistogramCount()));
    }

    [Fact]
    public async Task Without_runtime_decorators_the_trainer_still_traces_its_phases_but_adds_no_call_spans()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        using var capture = new TelemetryCapture();

        await new VariationalTrainer(world, TrainingScenarios.Dln1Small with { Iterations = 2 }, new TrainingRunOptions { RuntimeDecorators = RuntimeDecorators.None })
            .TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev);

        var run = Assert.Single(capture.Spans, s => s.OperationName == "dln.train");
        var spans = capture.Spans.Where(s => s.TraceId == run.TraceId).ToArray();
        Assert.Contains(spans, s => s.OperationName == "dln.score");
        Assert.DoesNotContain(spans, s => s.Kind == ActivityKind.Client);
        Assert.Empty(capture.Points("dln.calls"));
    }
}
