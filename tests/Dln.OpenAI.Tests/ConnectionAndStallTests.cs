using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// Two network faults that cost time rather than calls: a server that closes every connection after one response
/// without saying so (a request on the dead pooled connection is retried at once, not after the back-off), and a server
/// that accepts requests but never answers (a call gives up after its total timeout, 2 minutes by default, instead of
/// four 100-second attempts).
/// </summary>
public sealed class ConnectionAndStallTests(ITestOutputHelper output)
{
    private static readonly string Ok = OpenAIWire.ChatCompletion("m", "ok");

    [Fact]
    public async Task Connections_closed_without_an_answer_have_a_retry_budget_of_their_own()
    {
        // Six requests in a row meet a closed connection: more than the three ordinary retries, fewer than the
        // immediate retries a call may make for closed connections.
        await using var server = OneResponsePerConnectionServer.Start(_ => Ok, closeUnanswered: 6);
        var logger = new CapturingLogger();
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: new OpenAIChatLanguageModelOptions(), logger: logger);
        Assert.Equal(3, new OpenAIChatLanguageModelOptions().Retry.MaxRetryAttempts);

        Assert.Equal("ok", await model.GenerateTextAsync("after six closed connections"));

        var retries = logger.Entries.Where(e => e.EventId.Id == 2).ToArray();
        Assert.Equal(6, retries.Length);
        Assert.All(retries, r => Assert.Contains("DelayMilliseconds=0;", r.Text, StringComparison.Ordinal));
        Assert.Equal(7, server.Connections);
    }

    [Fact]
    public void After_any_other_failure_closed_connections_count_on_the_ordinary_retry_budget()
    {
        var closed = Polly.Outcome.FromException<System.ClientModel.Primitives.PipelineResponse>(
            new HttpRequestException(HttpRequestError.ResponseEnded, "ended"));
        var timeout = Polly.Outcome.FromException<System.ClientModel.Primitives.PipelineResponse>(new TaskCanceledException("timed out"));

        // Only closed connections so far: their own budget, the ordinary one untouched.
        var fresh = new HostedRetryPolicy.RetryCounts();
        for (var i = 0; i < HostedRetryPolicy.ClosedConnectionRetries; i++)
        {
            Assert.True(fresh.Allows(closed, maxRetryAttempts: 1));
            fresh.Count(closed);
        }

        Assert.False(fresh.Allows(closed, maxRetryAttempts: 1));
        Assert.True(fresh.Allows(timeout, maxRetryAttempts: 1));

        // A timeout first: the one retry allowed is spent, and a closed connection after it gets no other.
        var timedOut = new HostedRetryPolicy.RetryCounts();
        Assert.True(timedOut.Allows(timeout, maxRetryAttempts: 1));
        timedOut.Count(timeout);
        Assert.False(timedOut.Allows(closed, maxRetryAttempts: 1));
        Assert.Equal(0, timedOut.ClosedConnections);
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_the_call_after_the_closed_connection_budget()
    {
        await using var server = OneResponsePerConnectionServer.Start(_ => Ok, closeUnanswered: int.MaxValue);
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: new OpenAIChatLanguageModelOptions());

        await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("never answered"));

        Assert.Equal(1 + HostedRetryPolicy.ClosedConnectionRetries, server.Connections);
        Assert.Equal(0, server.Responses);
    }

    [Fact]
    public async Task A_request_on_a_pooled_connection_the_server_closed_is_retried_at_once()
    {
        await using var server = OneResponsePerConnectionServer.Start(_ => Ok);
        var logger = new CapturingLogger();
        // The default retry settings: a back-off would wait 1 s and more.
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: new OpenAIChatLanguageModelOptions(), logger: logger);

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("ok", await model.GenerateTextAsync("one after another"));
        }

        var sequential = stopwatch.Elapsed;
        stopwatch.Restart();

        // Whether a pooled connection is reused before its closing reaches the client is a race the test cannot fix;
        // bursts of concurrent calls make it near certain, and a few more bursts make the test stable on a loaded machine.
        var bursts = 0;
        string[] concurrent;
        (Microsoft.Extensions.Logging.LogLevel Level, Microsoft.Extensions.Logging.EventId EventId, string Text)[] retries;
        do
        {
            bursts++;
            concurrent = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
            {
                await Task.Yield();
                return await model.GenerateTextAsync($"eight at a time {i % 8}");
            }));
            Assert.All(concurrent, text => Assert.Equal("ok", text));
            retries = [.. logger.Entries.Where(e => e.EventId.Id == 2)];
        }
        while (retries.Length == 0 && bursts < 10);
        var parallel = stopwatch.Elapsed;

        output.WriteLine(
            $"30 sequential calls in {sequential.TotalMilliseconds:0} ms, {bursts} burst(s) of 30 concurrent calls in {parallel.TotalMilliseconds:0} ms, " +
            $"{server.Connections} connections, {retries.Length} requests sent into a connection the server had closed and retried at once " +
            $"(a 1 s back-off each would have added at least {retries.Length} s).");
        Assert.Equal(30 + (30 * bursts), server.Responses);

        // The server did close connections under reused requests, and each such failure was retried without a delay.
        Assert.NotEmpty(retries);
        Assert.All(retries, r =>
        {
            Assert.Contains("the server closed the connection without answering", r.Text, StringComparison.Ordinal);
            Assert.Contains("DelayMilliseconds=0;", r.Text, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(logger.Entries, e => e.EventId.Id == 3); // no call failed
    }

    [Fact]
    public void The_closed_connection_rule_is_narrow_a_refused_connection_still_backs_off()
    {
        var ended = new HttpRequestException(HttpRequestError.ResponseEnded, "An error occurred while sending the request.", new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));

        Assert.True(HostedRetryPolicy.IsClosedConnection(new System.ClientModel.ClientResultException("wrapped", response: null, ended)));
        Assert.True(HostedRetryPolicy.IsClosedConnection(new IOException("reset", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset))));
        Assert.False(HostedRetryPolicy.IsClosedConnection(refused));
        Assert.False(HostedRetryPolicy.IsClosedConnection(new TaskCanceledException("timed out")));
        // A timed-out attempt whose aborted read left a reset inside it is still a timeout (ordinary budget, back-off).
        Assert.False(HostedRetryPolicy.IsClosedConnection(new TaskCanceledException("timed out",
            new IOException("aborted", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset)))));
    }

    [Fact]
    public async Task A_stalled_server_costs_a_call_the_total_timeout_of_2_minutes_by_default_not_four_attempt_timeouts()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Hang);
        var clock = new FakeTimeProvider();
        var defaults = new OpenAIChatLanguageModelOptions();
        Assert.Equal(TimeSpan.FromMinutes(2), defaults.Retry.TotalTimeout);
        Assert.Equal(HostedLanguageModelOptions.DefaultTotalTimeout, defaults.Retry.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(100), defaults.Retry.AttemptTimeout);
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m",
            options: defaults with { Retry = defaults.Retry with { TimeProvider = clock } });

        var call = model.GenerateTextAsync("x");
        await WaitUntilAsync(() => server.RequestCount == 1);
        clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var error = await Assert.ThrowsAsync<LanguageModelException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(LanguageModelErrorKind.Timeout, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains("total timeout of 120 s (Retry.TotalTimeout)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task The_total_timeout_stops_the_retries_of_a_call_whose_attempts_time_out()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Hang);
        var retry = new LanguageModelRetryOptions
        {
            MaxRetryAttempts = 20,
            BaseDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromMilliseconds(300),
            TotalTimeout = TimeSpan.FromSeconds(1),
        };
        using var chat = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: new OpenAIChatLanguageModelOptions { Retry = retry });
        using var completions = new CompletionsScoringModel(server.BaseUrl, "m", options: new CompletionsScoringModelOptions { Retry = retry });

        var chatError = await Assert.ThrowsAsync<LanguageModelException>(() => chat.GenerateTextAsync("x"));
        var chatRequests = server.RequestCount;
        var completionsError = await Assert.ThrowsAsync<LanguageModelException>(() => completions.ScoreContinuationAsync(new ContinuationRequest("a", " b")));

        foreach (var error in new[] { chatError, completionsError })
        {
            Assert.Equal(LanguageModelErrorKind.Timeout, error.Kind);
            Assert.Contains("TotalTimeout", error.Message, StringComparison.Ordinal);
        }

        // About 1 s / 300 ms attempts, far from the 21 attempts the retry count alone allows.
        Assert.InRange(chatRequests, 1, 5);
        Assert.InRange(server.RequestCount - chatRequests, 1, 5);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(10);
        }
    }
}
