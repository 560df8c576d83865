namespace DeepLanguageNetworks.Tests;

/// <summary>The decorators together, as the trainer uses them.</summary>
public class RuntimeStackTests
{
    [Fact]
    public async Task Sixty_four_concurrent_callers_through_cache_limiter_and_retry_get_exactly_their_responses()
    {
        const int callers = 64;
        const int distinctPrompts = 32;
        const int maxConcurrency = 4;
        var tracker = new UsageTracker();
        // Every 5th backend call fails once with a transient error and is retried.
        var backend = new CountingLanguageModel { FailOn = n => n % 5 == 0 ? new LanguageModelException("503") { Kind = LanguageModelErrorKind.ServerError } : null };
        using var model = backend.AsBuilder()
            .UseUsageTracking(tracker)
            .UseCache(new InMemoryCacheStore())
            .UseRetry(new LanguageModelRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), UseJitter = false, MaxRetryAttempts = 5 })
            .UseConcurrencyLimit(maxConcurrency)
            .Build();

        var requests = Enumerable.Range(0, callers)
            .Select(i => new GenerationRequest("prompt " + (i % distinctPrompts)) { IncludeLogProbabilities = true, Purpose = new CallPurpose(CallRole.Scoring, 0) })
            .ToArray();
        using var start = new ManualResetEventSlim();
        var tasks = requests.Select(r => Task.Run(async () =>
        {
            start.Wait();
            return await model.GenerateAsync(r);
        })).ToArray();
        start.Set();
        var responses = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(20));

        for (var i = 0; i < callers; i++)
        {
            Assert.Equal($"fake-model|{requests[i].Prompt}|t=0|s=0", responses[i].Text);
            Assert.Equal(5, responses[i].TokenLogProbabilities!.Count);
        }

        Assert.True(backend.PeakInFlight <= maxConcurrency, $"Peak in flight {backend.PeakInFlight} exceeds {maxConcurrency}.");
        Assert.Equal(distinctPrompts, backend.Completed); // one successful backend call per distinct prompt
        var total = tracker.Snapshot().Total;
        Assert.Equal(distinctPrompts, total.Calls);
        Assert.Equal(callers - distinctPrompts, total.CacheHits);
        Assert.Equal(0, total.Failures);
        Assert.Equal(callers, responses.Count(r => r.FromCache) + distinctPrompts);
    }

    [Fact]
    public async Task The_sqlite_cache_of_UseCache_is_closed_with_the_model()
    {
        var directory = Path.Combine(Path.GetTempPath(), "dln-tests-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "cache.db");
        try
        {
            var backend = new CountingLanguageModel();
            using (var model = backend.AsBuilder().UseCache(path).Build())
            {
                await model.GenerateAsync(new GenerationRequest("Q"));
            }

            // Closed: the file can be moved away, and a new pipeline on it replays the response.
            File.Move(path, path + ".moved");
            File.Move(path + ".moved", path);
            using var again = new CountingLanguageModel().AsBuilder().UseCache(path).Build();
            Assert.True((await again.GenerateAsync(new GenerationRequest("Q"))).FromCache);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void UseDefaults_builds_the_recommended_order()
    {
        var tracker = new UsageTracker();
        var logs = new CapturingLoggerFactory();
        using var model = new CountingLanguageModel(defaultMaxConcurrency: 16).AsBuilder()
            .UseDefaults(tracker, new InMemoryCacheStore(), logs)
            .Build();

        Assert.IsType<LoggingLanguageModel>(model);
        Assert.NotNull(model.GetService<TelemetryLanguageModel>());
        Assert.Same(tracker, model.GetService<UsageTrackingLanguageModel>()!.Tracker);
        Assert.Same(tracker, model.GetService<UsageTracker>());
        Assert.NotNull(model.GetService<CachingLanguageModel>());
        Assert.NotNull(model.GetService<RetryingLanguageModel>());
        Assert.Equal(16, model.GetService<ConcurrencyLimitingLanguageModel>()!.MaxConcurrency);
    }
}
