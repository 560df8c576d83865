namespace DeepLanguageNetworks.Tests;

public class RetryingLanguageModelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Transient_failures_are_retried_with_exponential_back_off()
    {
        var clock = new RecordingTimeProvider();
        var logs = new CapturingLoggerFactory();
        var backend = new CountingLanguageModel { FailOn = n => n <= 2 ? Transient("503 Service Unavailable") : null };
        using var model = new RetryingLanguageModel(backend, NoJitter(clock), logs.CreateLogger("retry"));

        var call = model.GenerateAsync(new GenerationRequest("Q"));
        await clock.WaitForTimerAsync();
        Assert.Equal(1, backend.Started);
        clock.Advance(TimeSpan.FromSeconds(1));
        await clock.WaitForTimerAsync();
        Assert.Equal(2, backend.Started);
        clock.Advance(TimeSpan.FromSeconds(2));
        var response = await call.WaitAsync(Timeout);

        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal(3, backend.Started);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], clock.DueTimes);
        Assert.Equal(2, model.RetryCount);
        Assert.Equal(2, logs.WithEventId(LanguageModelLogEvents.RetryScheduled).Count);
    }

    [Fact]
    public async Task A_retry_after_hint_replaces_the_back_off()
    {
        var clock = new RecordingTimeProvider();
        var backend = new CountingLanguageModel
        {
            FailOn = n => n == 1 ? new LanguageModelException("429 Too Many Requests") { Kind = LanguageModelErrorKind.RateLimited, RetryAfter = TimeSpan.FromSeconds(7), StatusCode = 429 } : null,
        };
        using var model = new RetryingLanguageModel(backend, NoJitter(clock));

        var call = model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("x"));
        await clock.WaitForTimerAsync();
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, backend.Started);
        clock.Advance(TimeSpan.FromSeconds(1));
        await call.WaitAsync(Timeout);

        Assert.Equal([TimeSpan.FromSeconds(7)], clock.DueTimes);
        Assert.Equal(2, backend.Started);
    }

    [Fact]
    public async Task A_retry_after_hint_is_capped_at_the_maximum_delay()
    {
        var clock = new RecordingTimeProvider();
        var backend = new CountingLanguageModel
        {
            FailOn = n => n == 1 ? new LanguageModelException("429") { Kind = LanguageModelErrorKind.RateLimited, RetryAfter = TimeSpan.FromHours(1) } : null,
        };
        using var model = new RetryingLanguageModel(backend, new LanguageModelRetryOptions { MaxDelay = TimeSpan.FromSeconds(30), TimeProvider = clock });

        var call = model.GenerateAsync(new GenerationRequest("Q"));
        await clock.WaitForTimerAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        await call.WaitAsync(Timeout);

        Assert.Equal([TimeSpan.FromSeconds(30)], clock.DueTimes);
    }

    [Fact]
    public async Task Other_failures_are_not_retried()
    {
        var backend = new CountingLanguageModel { FailOn = _ => new NotSupportedException("no logprobs here") };
        using var model = new RetryingLanguageModel(backend);

        await Assert.ThrowsAsync<NotSupportedException>(() => model.GenerateAsync(new GenerationRequest("Q")));
        Assert.Equal(1, backend.Started);
        Assert.Equal(0, model.RetryCount);
    }

    [Fact]
    public async Task After_the_last_attempt_the_last_failure_is_rethrown()
    {
        var clock = new RecordingTimeProvider();
        var failures = new List<Exception>();
        var backend = new CountingLanguageModel
        {
            FailOn = n =>
            {
                var ex = new HttpRequestException("connection reset " + n);
                failures.Add(ex);
                return ex;
            },
        };
        using var model = new RetryingLanguageModel(backend, NoJitter(clock));

        var call = model.ScoreContinuationAsync(new ContinuationRequest("a", "b"));
        for (var i = 0; i < 3; i++)
        {
            await clock.WaitForTimerAsync();
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => call.WaitAsync(Timeout));
        Assert.Equal(4, backend.Started);
        Assert.Same(failures[^1], thrown);
    }

    [Fact]
    public async Task Caller_cancellation_is_never_retried()
    {
        var backend = new CountingLanguageModel { Hold = new SemaphoreSlim(0) };
        using var model = new RetryingLanguageModel(backend, new LanguageModelRetryOptions { IsTransient = _ => true });
        using var cts = new CancellationTokenSource();

        var call = model.GenerateAsync(new GenerationRequest("Q"), cts.Token);
        await backend.WaitForStartedAsync(1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Timeout));
        Assert.Equal(1, backend.Started);
    }

    [Fact]
    public async Task Cancelling_during_the_back_off_stops_retrying()
    {
        var clock = new RecordingTimeProvider();
        var backend = new CountingLanguageModel { FailOn = _ => new TimeoutException() };
        using var model = new RetryingLanguageModel(backend, NoJitter(clock));
        using var cts = new CancellationTokenSource();

        var call = model.GenerateAsync(new GenerationRequest("Q"), cts.Token);
        await clock.WaitForTimerAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Timeout));
        Assert.Equal(1, backend.Started);
    }

    [Fact]
    public async Task Zero_retries_calls_once()
    {
        var backend = new CountingLanguageModel { FailOn = _ => Transient("503") };
        using var model = new RetryingLanguageModel(backend, new LanguageModelRetryOptions { MaxRetryAttempts = 0 });

        await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateAsync(new GenerationRequest("Q")));
        Assert.Equal(1, backend.Started);
    }

    [Fact]
    public void Options_name_the_invalid_setting()
    {
        Assert.Equal("MaxRetryAttempts", Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageModelRetryOptions { MaxRetryAttempts = -1 }).ParamName);
        Assert.Equal("BaseDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageModelRetryOptions { BaseDelay = TimeSpan.Zero }).ParamName);
        Assert.Equal("MaxDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageModelRetryOptions { MaxDelay = TimeSpan.FromSeconds(-1) }).ParamName);
        Assert.Equal("AttemptTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageModelRetryOptions { AttemptTimeout = TimeSpan.Zero }).ParamName);
        Assert.Equal("RetryAfter", Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageModelException("x") { RetryAfter = TimeSpan.FromSeconds(-1) }).ParamName);
    }

    [Fact]
    public void The_default_predicate_knows_common_transient_failures()
    {
        Assert.True(LanguageModelRetryOptions.IsTransientByDefault(Transient("503")));
        Assert.True(LanguageModelRetryOptions.IsTransientByDefault(new HttpRequestException()));
        Assert.True(LanguageModelRetryOptions.IsTransientByDefault(new TaskCanceledException("HttpClient timeout", new TimeoutException())));
        Assert.False(LanguageModelRetryOptions.IsTransientByDefault(new OperationCanceledException()));
        Assert.False(LanguageModelRetryOptions.IsTransientByDefault(new ArgumentException()));
    }

    [Fact]
    public async Task A_total_timeout_ends_a_call_across_its_attempts_and_is_not_retried_again()
    {
        // A backend that fails fast twice and then hangs: the retries and their back-off count against the total.
        var clock = new RecordingTimeProvider();
        using var hold = new SemaphoreSlim(0);
        var backend = new CountingLanguageModel { FailOn = n => n <= 2 ? Transient("503") : null, Hold = hold };
        hold.Release(2);
        using var model = new RetryingLanguageModel(backend, NoJitter(clock) with { MaxRetryAttempts = 10, TotalTimeout = TimeSpan.FromSeconds(30) });

        var call = model.GenerateAsync(new GenerationRequest("Q"));
        await clock.WaitForTimerAsync(); // the deadline
        await clock.WaitForTimerAsync(); // back-off 1 s
        clock.Advance(TimeSpan.FromSeconds(1));
        await clock.WaitForTimerAsync(); // back-off 2 s
        clock.Advance(TimeSpan.FromSeconds(2));
        await backend.WaitForStartedAsync(3);
        clock.Advance(TimeSpan.FromSeconds(27)); // 30 s since the call began: the third attempt is still hanging
        var error = await Assert.ThrowsAsync<LanguageModelException>(() => call.WaitAsync(Timeout));

        Assert.Equal(LanguageModelErrorKind.Timeout, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, backend.Started);
        Assert.Contains("TotalTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("30 s", error.Message, StringComparison.Ordinal);
        Assert.False(LanguageModelRetryOptions.IsTransientByDefault(error));
        Assert.Null(new LanguageModelRetryOptions().TotalTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageModelRetryOptions { TotalTimeout = TimeSpan.Zero });
    }

    private static LanguageModelException Transient(string message) => new(message) { Kind = LanguageModelErrorKind.ServerError, StatusCode = 503 };

    private static LanguageModelRetryOptions NoJitter(TimeProvider clock) => new()
    {
        UseJitter = false,
        BaseDelay = TimeSpan.FromSeconds(1),
        TimeProvider = clock,
    };
}
