namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// The API key reaches the server and nothing else: not the logs (messages and structured values, every level), not
/// exception messages, not metadata.
/// </summary>
public sealed class SecretLeakTests
{
    private const string Key = "sk-LEAKCHECK-7f3a9c1e5b2d4f6a8c0e";

    [Fact]
    public async Task The_key_never_appears_in_logs_or_errors_of_a_chat_model()
    {
        var responses = new Queue<FakeResponse>(
        [
            FakeResponse.Json(OpenAIWire.ChatCompletion("m", "fine", [new WireToken("fine", -0.1, [("fine", -0.1)])])),
            FakeResponse.Error(429, "Rate limit", headers: new Dictionary<string, string> { ["retry-after-ms"] = "10" }),
            FakeResponse.Json(OpenAIWire.ChatCompletion("m", "again")),
            FakeResponse.Error(401, $"Incorrect API key provided: {Key}."),
            FakeResponse.Error(500, "boom"),
            FakeResponse.Error(500, "boom"),
            FakeResponse.Json("{broken"),
        ]);
        await using var server = await FakeOpenAIServer.StartAsync(_ => Task.FromResult(responses.Count > 1 ? responses.Dequeue() : responses.Peek()));
        var logger = new CapturingLogger();
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", Key, TestOptions.Chat(maxRetries: 1), logger);

        var errors = new List<Exception>();
        await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("x"));
        await model.GenerateTextAsync("retried");
        errors.Add(await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("unauthorised")));
        errors.Add(await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("server error")));
        errors.Add(await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("malformed")));

        // The key was used...
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {Key}", r.GetHeader("Authorization")));

        // ...and appears nowhere else, although the 401 body quoted it.
        Assert.NotEmpty(logger.Entries);
        Assert.Contains(logger.Entries, e => e.Text.Contains("retrying", StringComparison.Ordinal));
        Assert.DoesNotContain(Key, logger.AllText);
        Assert.DoesNotContain("Authorization", logger.AllText, StringComparison.OrdinalIgnoreCase);
        Assert.All(errors, e => Assert.DoesNotContain(Key, e.ToString()));
        Assert.Contains("[redacted]", errors[0].Message);
        Assert.DoesNotContain(Key, model.Metadata.ToString());
        Assert.DoesNotContain(Key, model.ToString());
    }

    [Fact]
    public async Task The_key_never_appears_in_logs_or_errors_of_an_Azure_model()
    {
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Error(503, "busy"), FakeResponse.Json(OpenAIWire.ChatCompletion("m", "ok")), FakeResponse.Error(403, "Access denied"));
        var logger = new CapturingLogger();
        using var model = OpenAIChatLanguageModel.ForAzure(server.RootUrl, "dep", Key, TestOptions.Chat(), logger);

        await model.GenerateTextAsync("a");
        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("b"));

        Assert.Equal(Key, server.Requests[0].GetHeader("api-key"));
        Assert.Equal(LanguageModelErrorKind.Authentication, error.Kind);
        Assert.Contains(logger.Entries, e => e.Text.Contains("HTTP 503", StringComparison.Ordinal));
        Assert.DoesNotContain(Key, logger.AllText);
        Assert.DoesNotContain(Key, error.ToString());
    }

    [Fact]
    public async Task The_key_never_appears_in_logs_or_errors_of_a_completions_model()
    {
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Error(502, "bad gateway"), FakeResponse.Error(401, $"bad key {Key}"));
        var logger = new CapturingLogger();
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", Key, TestOptions.Completions(), logger);

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.ScoreContinuationAsync(new ContinuationRequest("a", " b")));

        Assert.Equal(2, server.RequestCount);
        Assert.Equal($"Bearer {Key}", server.Requests[0].GetHeader("Authorization"));
        Assert.Equal(LanguageModelErrorKind.Authentication, error.Kind);
        Assert.DoesNotContain(Key, logger.AllText);
        Assert.DoesNotContain(Key, error.ToString());
        Assert.NotEmpty(logger.Entries);
    }
}
