using System.Text;
using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// Keys of any length are redacted: a seven-character key that an error body echoes reaches neither the exception, nor
/// a log line at Trace level, nor history.jsonl, nor checkpoint.json. A key shorter than eight characters is removed as
/// a whole token only, so that a one-character key does not erase that letter from every message.
/// </summary>
public sealed class ShortKeyTests : IDisposable
{
    private const string Key = "k7Xq2Zp";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dln-short-key-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_seven_character_key_echoed_by_an_error_body_reaches_no_exception_log_history_or_checkpoint()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var answer = LanguageModelServerHandler.Create(world);
        var rejected = 0;
        // The first proposals are refused with a 400 that quotes the key: a failed iteration, recorded in the history.
        await using var server = await FakeOpenAIServer.StartAsync(request =>
            request.Body.Contains("once more", StringComparison.Ordinal) ||
            (request.Body.Contains(ContextParser.MetaPromptOpening, StringComparison.Ordinal) && Interlocked.Increment(ref rejected) <= 5)
                ? Task.FromResult(FakeResponse.Error(400, $"Invalid request for API key {Key}: the proxy rejected it.", code: "invalid_request"))
                : answer(request));
        var logger = new CapturingLogger();
        using var backend = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "gpt-test", Key, TestOptions.Chat(), logger);
        using var model = new LoggingLanguageModel(backend, logger);
        var (train, dev, _) = NumberParityTask.Splits();
        var network = Dln.CreateOneLayer(model, "Answer the question.", OutputSpace.FromClasses("yes|Yes", "no|No"));
        var run = new TrainingRunOptions { RunDirectory = _folder, LogCalls = true, LogCallText = true };

        var result = await new VariationalTrainer(model, VariationalTrainerOptions.Dln1 with { Iterations = 3, BatchSize = 10, PromptCandidates = 6 }, run, logger)
            .TrainAsync(network, train, dev);
        var direct = await Assert.ThrowsAsync<LanguageModelException>(() => backend.GenerateTextAsync("once more"));

        var failed = Assert.Single(result.History, h => h.Error is not null);
        Assert.Contains("[redacted]", failed.Error, StringComparison.Ordinal);
        Assert.Contains("[redacted]", direct.Message, StringComparison.Ordinal);
        Assert.Equal("Invalid request for API key [redacted]: the proxy rejected it.", direct.ProviderMessage);
        for (var e = (Exception?)direct; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(Key, e.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Trace);
        Assert.Contains(logger.Entries, e => e.Text.Contains("HTTP 400", StringComparison.Ordinal));
        Assert.All(logger.Entries, e => Assert.DoesNotContain(Key, e.Text, StringComparison.Ordinal));
        foreach (var name in new[] { RunFolder.HistoryFileName, RunFolder.CheckpointFileName, RunFolder.CallLogFileName, RunFolder.ReportFileName, RunFolder.ConfigFileName })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(_folder, name));
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Key)) < 0, $"the key is in {name}");
        }

        Assert.Contains("[redacted]", await File.ReadAllTextAsync(Path.Combine(_folder, RunFolder.HistoryFileName)), StringComparison.Ordinal);
        Assert.Contains("[redacted]", await File.ReadAllTextAsync(Path.Combine(_folder, RunFolder.CheckpointFileName)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("k7Xq2Zp", "bad key k7Xq2Zp.", "bad key [redacted].")]
    [InlineData("k7Xq2Zp", "Bearer k7Xq2Zp, key=k7Xq2Zp&x=1", "Bearer [redacted], key=[redacted]&x=1")]
    [InlineData("k7Xq2Zp", "ak7Xq2Zp and k7Xq2Zp_2 are other words", "ak7Xq2Zp and k7Xq2Zp_2 are other words")]
    [InlineData("x", "expected x, got x-ray and box", "expected [redacted], got x-ray and box")]
    [InlineData("sk-0123456789", "tokensk-0123456789tail", "token[redacted]tail")]
    [InlineData("  ", "a  b", "a  b")]
    public void A_key_of_any_length_is_redacted_short_ones_as_whole_tokens(string key, string text, string expected) =>
        Assert.Equal(expected, new SecretRedactor(key).Redact(text));
}
