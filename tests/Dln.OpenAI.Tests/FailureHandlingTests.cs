using System.Diagnostics;
using System.Globalization;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// Retries, timeouts, cancellation and error messages of the chat backend, with the request count checked at the
/// server so that a retry storm would show.
/// </summary>
public sealed class FailureHandlingTests
{
    private static readonly string Ok = OpenAIWire.ChatCompletion("m", "ok");

    [Fact]
    public async Task A_429_with_Retry_After_in_seconds_is_retried_after_that_delay_then_succeeds()
    {
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Error(429, "Rate limit reached for requests", "rate_limit_exceeded", headers: new Dictionary<string, string> { ["Retry-After"] = "1" }),
            FakeResponse.Json(Ok));
        using var model = Compatible(server);

        var stopwatch = Stopwatch.StartNew();
        var text = await model.GenerateTextAsync("x");

        Assert.Equal("ok", text);
        Assert.Equal(2, server.RequestCount);

        // The backoff alone would wait about a millisecond.
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_429_with_retry_after_ms_is_honoured()
    {
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Error(429, "slow down", headers: new Dictionary<string, string> { ["retry-after-ms"] = "300" }),
            FakeResponse.Json(Ok));
        using var model = Compatible(server);

        var stopwatch = Stopwatch.StartNew();
        await model.GenerateTextAsync("x");

        Assert.Equal(2, server.RequestCount);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(280), $"retried after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_429_with_an_HTTP_date_is_honoured()
    {
        await using var server = await FakeOpenAIServer.StartAsync(request => Task.FromResult(request.Index == 0
            ? FakeResponse.Error(429, "slow down", headers: new Dictionary<string, string>
            {
                // HTTP-dates have whole seconds: two seconds ahead is at least one second away.
                ["Retry-After"] = DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", CultureInfo.InvariantCulture),
            })
            : FakeResponse.Json(Ok)));
        using var model = Compatible(server);

        var stopwatch = Stopwatch.StartNew();
        await model.GenerateTextAsync("x");

        Assert.Equal(2, server.RequestCount);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_Retry_After_longer_than_MaxRetryDelay_is_capped()
    {
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Error(429, "slow down", headers: new Dictionary<string, string> { ["Retry-After"] = "3600" }),
            FakeResponse.Json(Ok));
        var options = new OpenAIChatLanguageModelOptions { Retry = new() { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(200) } };
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: options);

        var stopwatch = Stopwatch.StartNew();
        await model.GenerateTextAsync("x");

        Assert.Equal(2, server.RequestCount);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"waited {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task A_server_error_then_success_is_retried_once(int status)
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Error(status, "The server had an error"), FakeResponse.Json(Ok));
        using var model = Compatible(server);

        Assert.Equal("ok", await model.GenerateTextAsync("x"));
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Abort, FakeResponse.Json(Ok));
        using var model = Compatible(server);

        Assert.Equal("ok", await model.GenerateTextAsync("x"));
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task Persistent_server_errors_stop_after_MaxRetries_plus_one_attempts()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Error(500, "The server had an error while processing your request."));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat(maxRetries: 3));

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("x"));

        Assert.Equal(4, server.RequestCount);
        Assert.Equal(LanguageModelErrorKind.ServerError, error.Kind);
        Assert.Equal(500, error.StatusCode);
        Assert.Contains("after 4 attempts", error.Message);
        Assert.Contains("The server had an error while processing your request", error.Message);
    }

    [Fact]
    public async Task Persistent_rate_limiting_stops_after_MaxRetries_plus_one_attempts()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Error(429, "Rate limit reached", "rate_limit_exceeded"));
        using var model = Compatible(server);

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("x"));

        Assert.Equal(3, server.RequestCount);
        Assert.Equal(LanguageModelErrorKind.RateLimited, error.Kind);
        Assert.Contains("Lower the concurrency", error.Message);
    }

    [Fact]
    public async Task A_hang_past_the_timeout_is_abandoned_and_retried_a_bounded_number_of_times()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Hang);
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m",
            options: TestOptions.Chat(maxRetries: 1, timeout: TimeSpan.FromMilliseconds(300)));

        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("x"));

        Assert.Equal(LanguageModelErrorKind.Timeout, error.Kind);
        Assert.Equal(2, server.RequestCount);
        Assert.Contains("0.3 s", error.Message);
        Assert.Contains("2 attempts", error.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData(401, LanguageModelErrorKind.Authentication)]
    [InlineData(403, LanguageModelErrorKind.Authentication)]
    [InlineData(400, LanguageModelErrorKind.BadRequest)]
    [InlineData(404, LanguageModelErrorKind.NotFound)]
    [InlineData(422, LanguageModelErrorKind.BadRequest)]
    public async Task Client_errors_fail_fast_with_one_request(int status, LanguageModelErrorKind kind)
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Error(status, $"provider says {status}"));
        using var model = Compatible(server);

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("x"));

        Assert.Equal(1, server.RequestCount);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal($"provider says {status}", error.ProviderMessage);
        Assert.Contains($"{server.BaseUrl}/chat/completions", error.Message);
        Assert.Contains("'m'", error.Message);
        Assert.Contains($"HTTP {status}", error.Message);
    }

    [Fact]
    public async Task A_reasoning_model_that_rejects_log_probabilities_gets_advice_to_use_accuracy_scoring()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Error(400,
            "Unsupported parameter: 'logprobs' is not supported with this model.", code: "unsupported_parameter", param: "logprobs"));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "o3-mini", options: TestOptions.Chat());

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("A or B?")));

        Assert.Equal(LanguageModelErrorKind.LogProbabilitiesNotSupported, error.Kind);
        Assert.Equal(1, server.RequestCount);
        Assert.Contains("'o3-mini'", error.Message);
        Assert.Contains("rejects log-probabilities", error.Message);
        Assert.Contains("OutputScoring.Accuracy", error.Message);
        Assert.Contains("one-layer", error.Message);
        Assert.Contains("is not supported with this model", error.Message);
    }

    [Fact]
    public async Task A_bad_request_unrelated_to_log_probabilities_is_not_blamed_on_them()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Error(400, "'messages' is too long.", param: "messages"));
        using var model = Compatible(server);

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("x")));

        Assert.Equal(LanguageModelErrorKind.BadRequest, error.Kind);
        Assert.DoesNotContain("OutputScoring.Accuracy", error.Message);
    }

    // A body that is JSON but not what the operation needs repeats on another attempt; one that is not JSON at all is a
    // glitch on the way (below).
    [Theory]
    [InlineData("[]")]
    [InlineData("{\"object\": \"chat.completion\", \"choices\": []}")]
    public async Task A_malformed_body_fails_once_with_a_message_naming_the_endpoint(string body)
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(body));
        using var model = Compatible(server);

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("x"));

        Assert.Equal(LanguageModelErrorKind.MalformedResponse, error.Kind);
        Assert.Equal(1, server.RequestCount);
        Assert.Contains($"{server.BaseUrl}/chat/completions", error.Message);
    }

    [Theory]
    [InlineData("{\"id\": \"chatcmpl-1\", \"choices\": [")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("")]
    public async Task A_200_response_whose_body_is_not_JSON_is_retried_like_a_transient_error(string body)
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(body), FakeResponse.Json(Ok));
        var logger = new CapturingLogger();
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat(), logger: logger);

        Assert.Equal("ok", await model.GenerateTextAsync("x"));

        Assert.Equal(2, server.RequestCount);
        Assert.Contains(logger.Entries, e => e.Text.Contains("HTTP 200 with a body that is not JSON", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_that_stays_unreadable_fails_after_the_bounded_attempts_as_a_malformed_response()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json("{\"id\": \"chatcmpl-1\", \"choi"));
        using var model = Compatible(server);

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("x"));

        Assert.Equal(3, server.RequestCount); // TestOptions.Chat(): 2 retries
        Assert.Equal(LanguageModelErrorKind.MalformedResponse, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Equal(3, error.Attempts);
        Assert.Contains($"{server.BaseUrl}/chat/completions", error.Message);
    }

    [Fact]
    public async Task A_truncated_completions_body_is_retried_too()
    {
        var valid = OpenAIWire.TextCompletion("m", " b", [("a", null), (" b", -0.5)], promptTokens: 2, completionTokens: 0);
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(valid[..(valid.Length / 2)]), FakeResponse.Json(valid));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        var score = await model.ScoreContinuationAsync(new ContinuationRequest("a", " b"));

        Assert.Equal(2, server.RequestCount);
        Assert.Equal(-0.5, Assert.Single(score.Tokens).LogProbability);
    }

    [Fact]
    public async Task Caller_cancellation_during_a_request_propagates_and_is_not_retried()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FakeOpenAIServer.StartAsync(_ =>
        {
            arrived.TrySetResult();
            return Task.FromResult(FakeResponse.Hang);
        });
        using var model = Compatible(server);
        using var cancellation = new CancellationTokenSource();

        var call = model.GenerateAsync(new GenerationRequest("x"), cancellation.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stopwatch = Stopwatch.StartNew();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
        await Task.Delay(100);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Caller_cancellation_during_a_retry_delay_stops_at_once()
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logger = new CapturingLogger();
        await using var server = await FakeOpenAIServer.StartAsync(_ => Task.FromResult(
            FakeResponse.Error(429, "slow down", headers: new Dictionary<string, string> { ["Retry-After"] = "30" })));
        var options = new OpenAIChatLanguageModelOptions { Retry = new() { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromSeconds(60) } };
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: options, logger: logger);
        using var cancellation = new CancellationTokenSource();

        var call = model.GenerateAsync(new GenerationRequest("x"), cancellation.Token);

        // The retry warning is logged just before the 30-second wait starts.
        var waitStarted = Stopwatch.StartNew();
        while (!logger.Entries.Any(e => e.Text.Contains("retrying", StringComparison.Ordinal)) && waitStarted.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        var stopwatch = Stopwatch.StartNew();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
        Assert.Equal(1, server.RequestCount);
        Assert.Contains(logger.Entries, e => e.Text.Contains("retrying in 30000 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_server_gives_a_network_error_naming_the_endpoint()
    {
        // Start and stop a server to get a port nobody listens on.
        Uri baseUrl;
        await using (var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(Ok)))
        {
            baseUrl = server.BaseUrl;
        }

        using var model = OpenAIChatLanguageModel.ForCompatibleServer(baseUrl, "m", options: TestOptions.Chat(maxRetries: 1));

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("x"));

        Assert.Equal(LanguageModelErrorKind.Network, error.Kind);
        Assert.Contains($"{baseUrl}/chat/completions", error.Message);
    }

    private static OpenAIChatLanguageModel Compatible(FakeOpenAIServer server) =>
        OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", "sk-fault-KEY-0123456789", TestOptions.Chat());
}
