using Microsoft.Extensions.Time.Testing;

namespace DeepLanguageNetworks.Tests;

public class ConcurrencyLimitingLanguageModelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task In_flight_calls_never_exceed_the_limit()
    {
        const int callers = 50;
        var backend = new CountingLanguageModel { Hold = new SemaphoreSlim(0) };
        using var model = new ConcurrencyLimitingLanguageModel(backend, new ConcurrencyLimitOptions { MaxConcurrency = 4 });

        var tasks = Enumerable.Range(0, callers).Select(i => model.GenerateAsync(new GenerationRequest("p" + i))).ToArray();
        Assert.Equal(4, backend.Started);
        Assert.Equal(callers - 4, model.Queued);

        // Release calls one by one: each completion lets exactly one queued call start.
        for (var released = 1; released <= callers; released++)
        {
            backend.Hold.Release();
            await backend.WaitForStartedAsync(Math.Min(callers, 4 + released));
            Assert.True(backend.InFlight <= 4, $"{backend.InFlight} calls in flight with a limit of 4.");
        }

        var responses = await Task.WhenAll(tasks).WaitAsync(Timeout);
        Assert.Equal(4, backend.PeakInFlight);
        Assert.Equal(callers, responses.Select(r => r.Text).Distinct().Count());
        Assert.Equal(0, model.InFlight);
    }

    [Fact]
    public async Task The_default_limit_comes_from_the_backend_capabilities()
    {
        var backend = new CountingLanguageModel(defaultMaxConcurrency: 3) { Hold = new SemaphoreSlim(0) };
        using var model = new ConcurrencyLimitingLanguageModel(backend);

        var tasks = Enumerable.Range(0, 10).Select(i => model.GenerateAsync(new GenerationRequest("p" + i))).ToArray();
        Assert.Equal(3, model.MaxConcurrency);
        Assert.Equal(3, backend.Started);

        backend.Hold.Release(10);
        await Task.WhenAll(tasks).WaitAsync(Timeout);
        Assert.Equal(3, backend.PeakInFlight);
    }

    [Fact]
    public async Task A_local_model_is_one_queue()
    {
        var backend = new CountingLanguageModel(defaultMaxConcurrency: 1) { Hold = new SemaphoreSlim(0) };
        using var model = backend.AsBuilder().UseConcurrencyLimit().Build();

        var tasks = Enumerable.Range(0, 5).Select(i => model.ScoreContinuationAsync(new ContinuationRequest("c", "x" + i))).ToArray();
        Assert.Equal(1, backend.Started);
        backend.Hold.Release(5);
        await Task.WhenAll(tasks).WaitAsync(Timeout);
        Assert.Equal(1, backend.PeakInFlight);
    }

    [Fact]
    public async Task Requests_per_minute_are_held_under_a_fake_clock()
    {
        var clock = new FakeTimeProvider();
        var backend = new CountingLanguageModel();
        using var model = new ConcurrencyLimitingLanguageModel(backend, new ConcurrencyLimitOptions
        {
            MaxConcurrency = 64,
            RequestsPerMinute = 60,
            TimeProvider = clock,
        });

        var tasks = Enumerable.Range(0, 10).Select(i => model.GenerateAsync(new GenerationRequest("p" + i))).ToArray();
        await backend.WaitForStartedAsync(1);
        Assert.Equal(9, model.RequestBucket!.QueuedCount);

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(9, model.RequestBucket.QueuedCount); // not a whole second yet

        for (var second = 1; second <= 9; second++)
        {
            clock.Advance(second == 1 ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromSeconds(1));
            Assert.Equal(9 - second, model.RequestBucket.QueuedCount);
            await backend.WaitForStartedAsync(1 + second);
            Assert.Equal(1 + second, backend.Started);
        }

        await Task.WhenAll(tasks).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Tokens_per_minute_charge_the_estimated_tokens_of_each_call()
    {
        // 600 tokens per minute = 10 per second, burst 10. Each call is estimated at 40 / 4 = 10 input tokens plus
        // 10 output tokens = 20: larger than the burst, so each call empties the bucket into a debt of 10 and the next
        // waits 2 s. The long-run rate is 600 / 20 = 30 calls per minute.
        var clock = new FakeTimeProvider();
        var backend = new CountingLanguageModel();
        using var model = new ConcurrencyLimitingLanguageModel(backend, new ConcurrencyLimitOptions
        {
            MaxConcurrency = 64,
            TokensPerMinute = 600,
            TimeProvider = clock,
        });
        var prompt = new string('a', 40);

        var tasks = Enumerable.Range(0, 4).Select(i => model.GenerateAsync(new GenerationRequest(prompt) { MaxTokens = 10, SampleIndex = i })).ToArray();
        await backend.WaitForStartedAsync(1);
        Assert.Equal(3, model.TokenRateBucket!.QueuedCount);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, model.TokenRateBucket.QueuedCount);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, model.TokenRateBucket.QueuedCount);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, model.TokenRateBucket.QueuedCount);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, model.TokenRateBucket.QueuedCount);

        await Task.WhenAll(tasks).WaitAsync(Timeout);
        Assert.Equal(4, backend.Started);
    }

    [Fact]
    public async Task A_call_waiting_for_the_rate_can_be_cancelled_without_disturbing_the_others()
    {
        var clock = new FakeTimeProvider();
        var backend = new CountingLanguageModel();
        using var model = new ConcurrencyLimitingLanguageModel(backend, new ConcurrencyLimitOptions
        {
            MaxConcurrency = 64,
            RequestsPerMinute = 60,
            TimeProvider = clock,
        });
        using var cts = new CancellationTokenSource();

        var first = model.GenerateAsync(new GenerationRequest("1"));
        var cancelled = model.GenerateAsync(new GenerationRequest("2"), cts.Token);
        var third = model.GenerateAsync(new GenerationRequest("3"));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));
        Assert.Equal(1, model.RequestBucket!.QueuedCount);

        clock.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(first, third).WaitAsync(Timeout);
        Assert.Equal(2, backend.Started);
    }

    [Theory]
    [InlineData(0, null, null, "MaxConcurrency")]
    [InlineData(null, -1, null, "RequestsPerMinute")]
    [InlineData(null, null, 0, "TokensPerMinute")]
    public void Options_reject_limits_that_are_not_positive(int? concurrency, int? rpm, int? tpm, string option)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ConcurrencyLimitOptions
        {
            MaxConcurrency = concurrency,
            RequestsPerMinute = rpm,
            TokensPerMinute = tpm,
        });
        Assert.Equal(option, ex.ParamName);
        Assert.Contains(option, ex.Message);
    }
}
