namespace DeepLanguageNetworks.Tests;

public class UsageTrackingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Calls_and_tokens_are_counted_per_role_and_layer()
    {
        var tracker = new UsageTracker();
        var backend = new CountingLanguageModel();
        using var model = backend.AsBuilder().UseUsageTracking(tracker).Build();

        var forward = await model.GenerateAsync(new GenerationRequest("abcd") { Purpose = new CallPurpose(CallRole.Forward, 0) });
        var backward = await model.GenerateAsync(new GenerationRequest("abcdefgh") { Purpose = new CallPurpose(CallRole.Backward, 1) });
        var scoring = await model.ScoreContinuationAsync(new ContinuationRequest("ab", "cd") { Purpose = new CallPurpose(CallRole.Scoring, 1) });

        var report = tracker.Snapshot();
        Assert.Equal(3, report.Total.Calls);
        Assert.Equal(forward.Usage.InputTokens + backward.Usage.InputTokens + scoring.Usage.InputTokens, report.Total.InputTokens);
        Assert.Equal(forward.Usage.OutputTokens + backward.Usage.OutputTokens, report.Total.OutputTokens);
        Assert.Equal(forward.Usage.TotalTokens, report.For(CallRole.Forward).TotalTokens);
        Assert.Equal(1, report.For(CallRole.Backward).Calls);
        Assert.Equal(0, report.For(CallRole.Evaluation).Calls);
        Assert.Equal(1, report.ByLayer[0].Calls);
        Assert.Equal(2, report.ByLayer[1].Calls);
        Assert.Equal(scoring.Usage.TotalTokens, report.ByPurpose[new CallPurpose(CallRole.Scoring, 1)].TotalTokens);
        Assert.Equal(3, report.ByModel["fake-model"].Calls);
        Assert.Null(report.Total.Cost);
    }

    [Fact]
    public async Task Cache_hits_are_counted_apart_and_their_tokens_are_not_spent()
    {
        var tracker = new UsageTracker();
        var backend = new CountingLanguageModel();
        using var model = backend.AsBuilder().UseUsageTracking(tracker).UseCache(new InMemoryCacheStore()).Build();
        var request = new GenerationRequest("prompt") { Purpose = new CallPurpose(CallRole.Evaluation) };

        var response = await model.GenerateAsync(request);
        await model.GenerateAsync(request);
        await model.GenerateAsync(request);

        var total = tracker.Snapshot().Total;
        Assert.Equal(1, total.Calls);
        Assert.Equal(2, total.CacheHits);
        Assert.Equal(response.Usage.TotalTokens, total.TotalTokens);
        Assert.Equal(2 * response.Usage.TotalTokens, total.SavedTokens);
        Assert.Equal(2.0 / 3.0, total.CacheHitRate, 12);
    }

    [Fact]
    public async Task Identical_concurrent_requests_count_one_call_and_the_rest_as_hits()
    {
        var tracker = new UsageTracker();
        var backend = new CountingLanguageModel { Hold = new SemaphoreSlim(0) };
        using var model = backend.AsBuilder().UseUsageTracking(tracker).UseCache(new InMemoryCacheStore()).Build();

        var tasks = Enumerable.Range(0, 10).Select(_ => model.GenerateAsync(new GenerationRequest("same"))).ToArray();
        await backend.WaitForStartedAsync(1);
        backend.Hold.Release(10);
        await Task.WhenAll(tasks).WaitAsync(Timeout);

        var total = tracker.Snapshot().Total;
        Assert.Equal(1, total.Calls);
        Assert.Equal(9, total.CacheHits);
    }

    [Fact]
    public async Task A_price_table_turns_tokens_into_money()
    {
        var prices = new PriceTable(new Dictionary<string, ModelPrice>
        {
            ["gpt-4o-mini"] = new(inputPerMillionTokens: 0.15m, outputPerMillionTokens: 0.60m),
            ["gpt-4o"] = new(2.50m, 10m),
        });
        var tracker = new UsageTracker(prices);
        tracker.Record("gpt-4o-mini-2024-07-18", new CallPurpose(CallRole.Forward), new LanguageModelUsage(1_000_000, 500_000), fromCache: false);
        tracker.Record("gpt-4o", new CallPurpose(CallRole.Backward), new LanguageModelUsage(1000, 100), fromCache: false);
        tracker.Record("gpt-4o", new CallPurpose(CallRole.Backward), new LanguageModelUsage(1000, 100), fromCache: true);
        tracker.Record("llama-local", new CallPurpose(CallRole.Scoring), new LanguageModelUsage(5000, 0), fromCache: false);

        var report = tracker.Snapshot();
        Assert.Equal(0.15m + 0.30m, report.For(CallRole.Forward).Cost);
        Assert.Equal(0.0025m + 0.001m, report.For(CallRole.Backward).Cost);
        Assert.Equal(0.45m + 0.0035m, report.Total.Cost);
        Assert.Equal(["llama-local"], report.UnpricedModels);
        Assert.Contains("llama-local", report.ToString());
    }

    [Fact]
    public void Budgets_trip_with_a_clear_message()
    {
        var tracker = new UsageTracker(new PriceTable(new Dictionary<string, ModelPrice> { ["m"] = new(1_000_000m, 0m) }));
        var callBudget = new UsageBudget { MaxCalls = 3 };
        var tokenBudget = new UsageBudget { MaxTokens = 1000 };
        var costBudget = new UsageBudget { MaxCost = 250m };

        for (var i = 0; i < 2; i++)
        {
            tracker.Record("m", new CallPurpose(CallRole.Forward), new LanguageModelUsage(100, 0), fromCache: false);
        }

        Assert.Null(tracker.CheckBudget(callBudget));
        Assert.Null(tracker.CheckBudget(tokenBudget));
        Assert.Null(tracker.CheckBudget(costBudget));
        tracker.Record("m", new CallPurpose(CallRole.Forward), new LanguageModelUsage(100, 0), fromCache: true); // hits are free
        Assert.Null(tracker.CheckBudget(callBudget));

        tracker.Record("m", new CallPurpose(CallRole.Forward), new LanguageModelUsage(100, 0), fromCache: false);
        var reason = tracker.CheckBudget(callBudget);
        Assert.NotNull(reason);
        Assert.Contains("3 backend calls", reason);
        Assert.Contains("MaxCalls is 3", reason);
        Assert.Contains("MaxCost is 250", tracker.CheckBudget(costBudget));
        Assert.Null(tracker.CheckBudget(tokenBudget));
        Assert.Equal(reason, callBudget.Check(tracker.Snapshot()));
    }

    [Fact]
    public void A_budget_checks_a_projection_before_a_run()
    {
        var budget = new UsageBudget { MaxCalls = 10_000, MaxTokens = 2_000_000 };
        Assert.Null(budget.Check(calls: 9_999, tokens: 1_999_999));
        Assert.Contains("MaxTokens is 2,000,000", budget.Check(calls: 4_800, tokens: 2_500_000));
        Assert.Throws<InvalidOperationException>(() => new UsageBudget { MaxCost = 4m }.Check(10, 10));
    }

    [Fact]
    public void A_cost_budget_without_prices_is_an_error_not_a_silent_pass()
    {
        var tracker = new UsageTracker();
        var ex = Assert.Throws<InvalidOperationException>(() => tracker.CheckBudget(new UsageBudget { MaxCost = 1m }));
        Assert.Contains("PriceTable", ex.Message);
        Assert.Throws<ArgumentException>(() => new UsageTrackingLanguageModel(new CountingLanguageModel(), tracker, new UsageBudget { MaxCost = 1m }));
    }

    [Fact]
    public async Task A_hard_budget_refuses_the_call_that_would_exceed_it()
    {
        var tracker = new UsageTracker();
        var logs = new CapturingLoggerFactory();
        var backend = new CountingLanguageModel();
        using var model = backend.AsBuilder().UseUsageTracking(tracker, new UsageBudget { MaxCalls = 3 }, logs).Build();

        for (var i = 0; i < 3; i++)
        {
            await model.GenerateAsync(new GenerationRequest("p" + i));
        }

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => model.GenerateAsync(new GenerationRequest("p3")));
        Assert.Contains("MaxCalls is 3", ex.Message);
        Assert.Equal(3, ex.Budget!.MaxCalls);
        Assert.Equal(3, backend.Started);
        Assert.Single(logs.WithEventId(LanguageModelLogEvents.BudgetRefused));
    }

    [Fact]
    public async Task A_hard_budget_holds_exactly_under_concurrent_calls()
    {
        var tracker = new UsageTracker();
        var backend = new CountingLanguageModel { Hold = new SemaphoreSlim(0) };
        using var model = backend.AsBuilder().UseUsageTracking(tracker, new UsageBudget { MaxCalls = 5 }).Build();

        var tasks = Enumerable.Range(0, 20).Select(i => model.GenerateAsync(new GenerationRequest("p" + i))).ToArray();
        backend.Hold.Release(20);
        var outcomes = await Task.WhenAll(tasks.Select(async t =>
        {
            try
            {
                await t;
                return "ok";
            }
            catch (BudgetExceededException)
            {
                return "refused";
            }
        })).WaitAsync(Timeout);

        Assert.Equal(5, outcomes.Count(o => o == "ok"));
        Assert.Equal(15, outcomes.Count(o => o == "refused"));
        Assert.Equal(5, backend.Started);
        Assert.Equal(5, tracker.Snapshot().Total.Calls);
        Assert.Equal(0, tracker.InFlight);
    }

    [Fact]
    public async Task A_hard_budget_lets_cache_hits_through()
    {
        var tracker = new UsageTracker();
        var backend = new CountingLanguageModel();
        using var model = backend.AsBuilder()
            .UseUsageTracking(tracker, new UsageBudget { MaxTokens = 10 })
            .UseCache(new InMemoryCacheStore())
            .Build();
        var cached = new GenerationRequest("a long enough prompt");

        await model.GenerateAsync(cached);
        Assert.NotNull(tracker.CheckBudget(new UsageBudget { MaxTokens = 10 }));

        var hit = await model.GenerateAsync(cached);
        Assert.True(hit.FromCache);
        await Assert.ThrowsAsync<BudgetExceededException>(() => model.GenerateAsync(new GenerationRequest("new prompt")));
        Assert.Equal(1, backend.Started);
    }

    [Fact]
    public async Task A_hard_budget_asks_any_cache_below_through_the_response_cache_service_not_its_type()
    {
        var tracker = new UsageTracker();
        var backend = new CountingLanguageModel();
        var cache = new AnsweringCache(backend, answers: "known prompt");
        using var model = cache.AsBuilder().UseUsageTracking(tracker, new UsageBudget { MaxCalls = 1 }).Build();

        await model.GenerateAsync(new GenerationRequest("first"));
        var answered = await model.GenerateAsync(new GenerationRequest("known prompt"));
        await Assert.ThrowsAsync<BudgetExceededException>(() => model.GenerateAsync(new GenerationRequest("unknown prompt")));

        Assert.True(answered.FromCache);
        Assert.Equal(["known prompt", "unknown prompt"], cache.Asked); // only once over the budget
        Assert.Equal(1, backend.Started);
    }

    /// <summary>A cache that is not <see cref="CachingLanguageModel"/>: it knows one prompt and says so through the service.</summary>
    private sealed class AnsweringCache(ILanguageModel inner, string answers) : DelegatingLanguageModel(inner), ILanguageModelResponseCache
    {
        public List<string> Asked { get; } = [];

        public Task<bool> ContainsAsync(LanguageModelRequest request, CancellationToken cancellationToken = default)
        {
            var prompt = ((GenerationRequest)request).Prompt;
            Asked.Add(prompt);
            return Task.FromResult(prompt == answers);
        }

        public override Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
            request.Prompt == answers
                ? Task.FromResult(new GenerationResponse("cached", new LanguageModelUsage(3, 1)) { FromCache = true })
                : base.GenerateAsync(request, cancellationToken);
    }

    [Fact]
    public async Task Failures_are_counted_and_cancellations_are_not()
    {
        var tracker = new UsageTracker();
        var backend = new CountingLanguageModel { FailOn = n => n == 1 ? new InvalidOperationException("bad") : null, Hold = null };
        using var model = backend.AsBuilder().UseUsageTracking(tracker).Build();

        await Assert.ThrowsAsync<InvalidOperationException>(() => model.GenerateAsync(new GenerationRequest("x") { Purpose = new CallPurpose(CallRole.Forward) }));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.GenerateAsync(new GenerationRequest("y"), cts.Token));

        var total = tracker.Snapshot().Total;
        Assert.Equal(1, total.Failures);
        Assert.Equal(0, total.Calls);
        Assert.Equal(1, tracker.Snapshot().For(CallRole.Forward).Failures);
    }

    [Theory]
    [InlineData("MaxCalls")]
    [InlineData("MaxTokens")]
    [InlineData("MaxCost")]
    public void Budget_options_name_the_invalid_limit(string option)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => option switch
        {
            "MaxCalls" => new UsageBudget { MaxCalls = 0 },
            "MaxTokens" => new UsageBudget { MaxTokens = -5 },
            _ => new UsageBudget { MaxCost = 0m },
        });
        Assert.Equal(option, ex.ParamName);
    }

    [Fact]
    public void Prices_must_not_be_negative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelPrice(-1m, 0m));
        Assert.Throws<ArgumentException>(() => new PriceTable([new("m", new ModelPrice(1, 1)), new("M", new ModelPrice(2, 2))]));
    }
}
