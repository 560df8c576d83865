using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.Tests;

public class LoggingLanguageModelTests
{
    [Fact]
    public async Task Debug_logs_the_call_without_the_prompt()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Debug);
        using var model = new CountingLanguageModel().AsBuilder().UseLogging(logs).Build();

        await model.GenerateAsync(new GenerationRequest("PRIVATE PROMPT TEXT") { Purpose = new CallPurpose(CallRole.Backward, 1) });

        var entry = Assert.Single(logs.Entries);
        Assert.Equal(LanguageModelLogEvents.CallCompleted, entry.EventId.Id);
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Contains("fake:fake-model", entry.Message);
        Assert.Contains("Backward[layer 1]", entry.Message);
        Assert.Contains("19 input", entry.Message);
        Assert.DoesNotContain("PRIVATE PROMPT TEXT", entry.Message);
    }

    [Fact]
    public async Task Trace_adds_the_prompt_and_the_response()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Trace);
        using var model = new CountingLanguageModel().AsBuilder().UseLogging(logs).Build();

        await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Context here", 2));

        Assert.Contains("Context here", Assert.Single(logs.WithEventId(LanguageModelLogEvents.CallPrompt)).Message);
        Assert.Single(logs.WithEventId(LanguageModelLogEvents.CallResponse));
        Assert.Single(logs.WithEventId(LanguageModelLogEvents.CallCompleted));
    }

    [Fact]
    public async Task Failures_are_logged_as_warnings_and_rethrown()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Information);
        var backend = new CountingLanguageModel { FailOn = _ => new InvalidOperationException("backend down") };
        using var model = backend.AsBuilder().UseLogging(logs).Build();

        await Assert.ThrowsAsync<InvalidOperationException>(() => model.ScoreContinuationAsync(new ContinuationRequest("a", "b")));

        var entry = Assert.Single(logs.Entries);
        Assert.Equal(LanguageModelLogEvents.CallFailed, entry.EventId.Id);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.IsType<InvalidOperationException>(entry.Exception);
    }
}
