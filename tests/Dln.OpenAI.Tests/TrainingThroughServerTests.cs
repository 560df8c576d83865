using System.Text;
using System.Text.Json;
using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// End to end through the OpenAI chat backend: DLN-1 trains against the fake server (answering from the scripted world
/// in OpenAI's wire format) and learns; then the key is revoked and a second run fails. The API key reaches the server
/// in every request and appears nowhere else: not in a log line at any level, an exception, the checkpoint, the
/// history, the saved network or the cache file.
/// </summary>
public sealed class TrainingThroughServerTests : IDisposable
{
    private const string Key = "sk-test-DLN-SECRET-0123456789";
    private const string InitialPrompt = "Answer the question.";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dln-secret-tests-" + Guid.NewGuid().ToString("N"));

    public TrainingThroughServerTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [Fact]
    public async Task Dln1_learns_through_the_OpenAI_wire_format_and_the_key_appears_nowhere_but_the_authorization_header()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var answer = LanguageModelServerHandler.Create(world);
        var revoked = 0;
        // The server checks the key; once revoked it answers 401 quoting the key, as OpenAI does.
        await using var server = await FakeOpenAIServer.StartAsync(request =>
            Volatile.Read(ref revoked) == 0 && request.GetHeader("Authorization") == $"Bearer {Key}"
                ? answer(request)
                : Task.FromResult(FakeResponse.Error(401, $"Incorrect API key provided: {Key}. You can find your API key in your account settings.", code: "invalid_api_key")));
        var logger = new CapturingLogger();
        using var backend = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "gpt-test", Key, TestOptions.Chat(), logger);
        // Prompts and responses logged at Trace level too.
        using var model = new LoggingLanguageModel(backend, logger);
        var (train, dev, _) = NumberParityTask.Splits();
        var errors = new List<Exception>();

        // A run that learns.
        TrainingResult result;
        var network = Dln.CreateOneLayer(model, InitialPrompt, OutputSpace.FromClasses("yes|Yes", "no|No"));
        using (var cache = new SqliteCacheStore(Path.Combine(_folder, "cache.db"), logger))
        {
            result = await new VariationalTrainer(model, Options, Run(Path.Combine(_folder, "run.json"), cache), logger).TrainAsync(network, train, dev);
            Assert.True(cache.Count() > 0);
        }

        await network.SaveAsync(Path.Combine(_folder, "network.json"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "result.json"), JsonSerializer.Serialize(new { result.BestPrompts, result.BestDevAccuracy, result.History, Usage = result.Usage.Total }));
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
        Assert.Equal([NumberParityTask.TrueRule], NumberRule.StatedIn(result.BestPrompts[0]));
        Assert.True(server.RequestCount > 50, $"{server.RequestCount} requests");
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {Key}", r.GetHeader("Authorization")));
        Assert.Contains(server.Requests, r => r.Json?["logprobs"]?.GetValue<bool>() == true && r.Json?["top_logprobs"] is not null);

        // The key is revoked: a rejected key will be rejected again, so the next run stops at its first failing phase
        // instead of spending its error budget (LanguageModelException.IsPermanent).
        Volatile.Write(ref revoked, 1);
        var requestsBefore = server.RequestCount;
        using (var cache = new SqliteCacheStore(Path.Combine(_folder, "cache-2.db"), logger))
        {
            var failed = Dln.CreateOneLayer(model, InitialPrompt, OutputSpace.FromClasses("yes|Yes", "no|No"));
            errors.Add(await Assert.ThrowsAsync<LanguageModelException>(() => new VariationalTrainer(model, Options, Run(Path.Combine(_folder, "run-2.json"), cache), logger).TrainAsync(failed, train, dev)));
        }

        // Only the first phase (the initial validation, one request per dev example) reached the server.
        Assert.InRange(server.RequestCount - requestsBefore, 1, dev.Length);
        errors.Add(await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("one more call")));
        var unauthorised = Assert.IsType<LanguageModelException>(errors[0]);
        Assert.Equal(LanguageModelErrorKind.Authentication, unauthorised.Kind);
        Assert.True(unauthorised.IsPermanent);
        Assert.Contains("[redacted]", unauthorised.ProviderMessage, StringComparison.Ordinal); // the 401 body quoted the key

        // Nowhere: every file under the run folder (byte search, UTF-8 and UTF-16), every log line, every exception.
        var files = Directory.GetFiles(_folder, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("cache.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("run.json", StringComparison.Ordinal));
        Assert.Contains(result.BestPrompts[0], await File.ReadAllTextAsync(Path.Combine(_folder, "run.json")), StringComparison.Ordinal); // the search reads what the run wrote
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Key)) < 0, $"the key is in {file}");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(Key)) < 0, $"the key (UTF-16) is in {file}");
        }

        Assert.True(logger.Entries.Count > 100, $"{logger.Entries.Count} log lines");
        Assert.Contains(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Trace);
        Assert.Contains(logger.Entries, e => e.Text.Contains("HTTP 401", StringComparison.Ordinal));
        Assert.All(logger.Entries, e => Assert.DoesNotContain(Key, e.Text, StringComparison.Ordinal));
        foreach (var error in errors)
        {
            for (var e = error; e is not null; e = e.InnerException)
            {
                Assert.DoesNotContain(Key, e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(Key, e.ToString(), StringComparison.Ordinal);
            }
        }
    }

    // The paper's DLN-1 settings scaled down as in the core end-to-end tests: 6 iterations, batches of 10, 6 candidates.
    private static VariationalTrainerOptions Options { get; } = VariationalTrainerOptions.Dln1 with
    {
        Iterations = 6,
        BatchSize = 10,
        PromptCandidates = 6,
    };

    private static TrainingRunOptions Run(string checkpointPath, ILanguageModelCacheStore cache) => new()
    {
        CheckpointPath = checkpointPath,
        // A run folder beside the checkpoint: config, history, per-call log with texts, report — all scanned for the key.
        RunDirectory = Path.Combine(Path.GetDirectoryName(checkpointPath)!, "run-" + Path.GetFileNameWithoutExtension(checkpointPath)),
        LogCalls = true,
        LogCallText = true,
        CacheStore = cache,
        Retry = new LanguageModelRetryOptions { MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(1) },
    };
}
