using System.Text;

namespace DeepLanguageNetworks.Tests;

public class CachingLanguageModelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Hit_returns_an_identical_response_with_bit_exact_log_probabilities()
    {
        var backend = new CountingLanguageModel();
        using var model = new CachingLanguageModel(backend, new InMemoryCacheStore());
        var request = new GenerationRequest("Q: 2+2?") { Temperature = 0.7, IncludeLogProbabilities = true, SampleIndex = 3 };

        var first = await model.GenerateAsync(request);
        var second = await model.GenerateAsync(request);

        Assert.Equal(1, backend.Started);
        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Usage, second.Usage);
        Assert.Equal(first.FinishReason, second.FinishReason);
        AssertBitExact(first.TokenLogProbabilities!, second.TokenLogProbabilities!);
    }

    [Fact]
    public async Task Next_token_and_continuation_responses_are_cached_too()
    {
        var backend = new CountingLanguageModel();
        using var model = new CachingLanguageModel(backend, new InMemoryCacheStore());

        var next1 = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Answer:", 4));
        var next2 = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Answer:", 4));
        var cont1 = await model.ScoreContinuationAsync(new ContinuationRequest("Answer:", " yes"));
        var cont2 = await model.ScoreContinuationAsync(new ContinuationRequest("Answer:", " yes"));

        Assert.Equal(2, backend.Started);
        Assert.True(next2.FromCache);
        Assert.True(cont2.FromCache);
        AssertBitExact(next1.TopTokens, next2.TopTokens);
        AssertBitExact(cont1.Tokens, cont2.Tokens);
        Assert.Equal(cont1.Sum, cont2.Sum);
        Assert.Equal(next1.Usage, next2.Usage);
    }

    [Fact]
    public async Task Samples_with_different_indexes_are_distinct_entries()
    {
        var backend = new CountingLanguageModel { VaryTextPerCall = true };
        using var model = new CachingLanguageModel(backend, new InMemoryCacheStore());
        var request = new GenerationRequest("Explain") { Temperature = 1 };

        var texts = new List<string>();
        for (var round = 0; round < 2; round++)
        {
            for (var k = 0; k < 4; k++)
            {
                texts.Add((await model.GenerateAsync(request with { SampleIndex = k })).Text);
            }
        }

        Assert.Equal(4, backend.Started);
        Assert.Equal(4, texts.Distinct().Count());
        Assert.Equal(texts.Take(4), texts.Skip(4));
    }

    [Fact]
    public async Task Per_call_bypass_calls_the_backend_and_replaces_the_entry()
    {
        var backend = new CountingLanguageModel { VaryTextPerCall = true };
        using var model = new CachingLanguageModel(backend, new InMemoryCacheStore());
        var request = new GenerationRequest("Q");

        var first = await model.GenerateAsync(request);
        var bypassed = await model.GenerateAsync(request with { BypassCache = true });
        var after = await model.GenerateAsync(request);

        Assert.Equal(2, backend.Started);
        Assert.False(bypassed.FromCache);
        Assert.NotEqual(first.Text, bypassed.Text);
        Assert.Equal(bypassed.Text, after.Text);
        Assert.True(after.FromCache);
    }

    [Fact]
    public async Task Global_bypass_calls_the_backend_every_time()
    {
        var backend = new CountingLanguageModel();
        var store = new InMemoryCacheStore();
        using var model = new CachingLanguageModel(backend, store, new LanguageModelCacheOptions { Bypass = true });
        var request = new GenerationRequest("Q");

        await model.GenerateAsync(request);
        var second = await model.GenerateAsync(request);

        Assert.Equal(2, backend.Started);
        Assert.False(second.FromCache);
        Assert.Equal(1, store.Count); // still stored, ready for a later run without bypass
        Assert.False(await model.ContainsAsync(request));
    }

    [Fact]
    public async Task Identical_concurrent_requests_make_one_backend_call()
    {
        const int callers = 20;
        var backend = new CountingLanguageModel { Hold = new SemaphoreSlim(0) };
        using var model = new CachingLanguageModel(backend, new InMemoryCacheStore());
        var request = new GenerationRequest("Same prompt") { IncludeLogProbabilities = true };

        var tasks = Enumerable.Range(0, callers).Select(_ => model.GenerateAsync(request)).ToArray();
        await backend.WaitForStartedAsync(1);
        backend.Hold.Release(callers);
        var responses = await Task.WhenAll(tasks).WaitAsync(Timeout);

        Assert.Equal(1, backend.Started);
        Assert.All(responses, r => Assert.Equal(responses[0].Text, r.Text));
        Assert.Single(responses, r => !r.FromCache); // the tokens are counted once
    }

    [Fact]
    public async Task A_caller_cancelling_does_not_cancel_the_shared_call_for_others()
    {
        var backend = new CountingLanguageModel { Hold = new SemaphoreSlim(0) };
        using var model = new CachingLanguageModel(backend, new InMemoryCacheStore());
        var request = new GenerationRequest("Shared");
        using var impatient = new CancellationTokenSource();

        var cancelled = model.GenerateAsync(request, impatient.Token);
        var patient = model.GenerateAsync(request);
        await backend.WaitForStartedAsync(1);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));
        Assert.False(backend.Tokens.Single().IsCancellationRequested);

        backend.Hold.Release();
        var response = await patient.WaitAsync(Timeout);
        Assert.False(response.FromCache);
        Assert.Equal(1, backend.Started);
    }

    [Fact]
    public async Task The_shared_call_is_cancelled_when_every_caller_cancels()
    {
        var backend = new CountingLanguageModel { Hold = new SemaphoreSlim(0) };
        using var model = new CachingLanguageModel(backend, new InMemoryCacheStore());
        var request = new GenerationRequest("Abandoned");
        using var cts1 = new CancellationTokenSource();
        using var cts2 = new CancellationTokenSource();

        var first = model.GenerateAsync(request, cts1.Token);
        var second = model.GenerateAsync(request, cts2.Token);
        await backend.WaitForStartedAsync(1);
        await cts1.CancelAsync();
        Assert.False(backend.Tokens.Single().IsCancellationRequested);
        await cts2.CancelAsync();

        Assert.True(backend.Tokens.Single().IsCancellationRequested);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(Timeout));

        // A later identical request starts afresh rather than joining the cancelled call.
        backend.Hold = null;
        var later = await model.GenerateAsync(request).WaitAsync(Timeout);
        Assert.False(later.FromCache);
        Assert.Equal(2, backend.Started);
    }

    [Fact]
    public async Task Failed_calls_are_not_cached()
    {
        var backend = new CountingLanguageModel { FailOn = n => n == 1 ? new InvalidOperationException("boom") : null };
        using var model = new CachingLanguageModel(backend, new InMemoryCacheStore());
        var request = new GenerationRequest("Q");

        await Assert.ThrowsAsync<InvalidOperationException>(() => model.GenerateAsync(request));
        var response = await model.GenerateAsync(request);

        Assert.False(response.FromCache);
        Assert.Equal(2, backend.Started);
    }

    [Fact]
    public async Task An_unreadable_entry_is_a_miss_with_a_warning_and_is_overwritten()
    {
        var backend = new CountingLanguageModel();
        var store = new InMemoryCacheStore();
        var logs = new CapturingLoggerFactory();
        using var model = new CachingLanguageModel(backend, store, logger: logs.CreateLogger("cache"));
        var request = new GenerationRequest("Q");
        await store.SetAsync(LanguageModelCacheKey.For(backend.Metadata, request), Encoding.UTF8.GetBytes("{\"text\": 12"));

        var first = await model.GenerateAsync(request);
        var second = await model.GenerateAsync(request);

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(1, backend.Started);
        Assert.Single(logs.WithEventId(LanguageModelLogEvents.CacheEntryUnreadable));
    }

    [Fact]
    public async Task A_failing_store_never_fails_the_call()
    {
        var backend = new CountingLanguageModel();
        var logs = new CapturingLoggerFactory();
        using var model = new CachingLanguageModel(backend, new ThrowingStore(), logger: logs.CreateLogger("cache"));

        var response = await model.GenerateAsync(new GenerationRequest("Q"));

        Assert.False(response.FromCache);
        Assert.Single(logs.WithEventId(LanguageModelLogEvents.CacheReadFailed));
        Assert.Single(logs.WithEventId(LanguageModelLogEvents.CacheWriteFailed));
    }

    [Fact]
    public async Task Without_deduplication_identical_concurrent_requests_each_call_the_backend()
    {
        var backend = new CountingLanguageModel { Hold = new SemaphoreSlim(0) };
        using var model = new CachingLanguageModel(backend, new InMemoryCacheStore(), new LanguageModelCacheOptions { DeduplicateConcurrentRequests = false });

        var tasks = Enumerable.Range(0, 3).Select(_ => model.GenerateAsync(new GenerationRequest("Q"))).ToArray();
        await backend.WaitForStartedAsync(3);
        backend.Hold.Release(3);
        await Task.WhenAll(tasks).WaitAsync(Timeout);

        Assert.Equal(3, backend.Started);
    }

    internal static void AssertBitExact(IReadOnlyList<TokenLogProbability> expected, IReadOnlyList<TokenLogProbability> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Token, actual[i].Token);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i].LogProbability), BitConverter.DoubleToInt64Bits(actual[i].LogProbability));
        }
    }

    private sealed class ThrowingStore : ILanguageModelCacheStore
    {
        public ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken = default) =>
            throw new IOException("disk unplugged");

        public ValueTask SetAsync(string key, byte[] value, CancellationToken cancellationToken = default) =>
            throw new IOException("disk unplugged");
    }
}
