using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using DeepLanguageNetworks.CacheWorker;
using DeepLanguageNetworks.OpenAI.Tests;
using DeepLanguageNetworks.Tests.Scripted;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Caching.Redis.Tests;

/// <summary>
/// Two worker processes (tests/Dln.CacheWorker) train the same DLN-1 at the same time against one Redis and one
/// simulated OpenAI server (this process, counting every request); then a third run of the same settings is answered
/// entirely from Redis.
/// </summary>
/// <remarks>
/// The bound on duplicated backend calls: identical requests in flight at once are merged within a process, and a
/// response is shared through Redis once it is stored, so each distinct request reaches the server at most once per
/// process, here at most twice. Two processes running the same settings in lockstep may both miss the same entry; that
/// is what the bound allows, and the test counts how often it happened.
/// </remarks>
public sealed class SharedCacheAcrossProcessesTests(ITestOutputHelper output) : IDisposable
{
    private const string ApiKey = "sk-test-DLN-WORKER-0123456789";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dln-shared-cache-" + Guid.NewGuid().ToString("N"));

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
    public async Task Two_processes_train_at_once_on_one_Redis_and_a_third_run_makes_zero_backend_calls()
    {
        Directory.CreateDirectory(_folder);
        await using var redis = await RedisServer.StartAsync();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var answer = LanguageModelServerHandler.Create(world);
        await using var server = await FakeOpenAIServer.StartAsync(request =>
            request.GetHeader("Authorization") == $"Bearer {ApiKey}" ? answer(request) : Task.FromResult(FakeResponse.Error(401, "bad key")));
        var (train, dev, _) = NumberParityTask.Splits();
        var job = Path.Combine(_folder, "job.json");
        await File.WriteAllTextAsync(job, JsonSerializer.Serialize(new WorkerJob(server.BaseUrl, redis.Url, train, dev), Json));

        var first = await Task.WhenAll(RunWorkerAsync(job, "a"), RunWorkerAsync(job, "b"));
        var afterTwo = server.Requests;

        Assert.Equal(first[0].BestPrompts, first[1].BestPrompts);
        Assert.Equal(first[0].BestDevAccuracy, first[1].BestDevAccuracy);
        Assert.True(first[0].BestDevAccuracy >= 0.9, $"best dev {first[0].BestDevAccuracy}");
        Assert.Equal([NumberParityTask.TrueRule], NumberRule.StatedIn(first[0].BestPrompts[0]));
        Assert.All(first, r => Assert.True(r.CacheAvailable));

        // Both did the same work; every call a worker did not get from a cache reached the server, and no distinct
        // request more than once per process.
        Assert.Equal(first[0].Calls + first[0].CacheHits, first[1].Calls + first[1].CacheHits);
        Assert.Equal(afterTwo.Count, first.Sum(r => r.Calls));
        var perRequest = afterTwo.GroupBy(r => r.Path + "\n" + r.Body, StringComparer.Ordinal).Select(g => g.Count()).ToArray();
        Assert.All(perRequest, count => Assert.InRange(count, 1, 2));
        var distinct = perRequest.Length;
        var twice = perRequest.Count(c => c == 2);
        output.WriteLine($"two workers: {afterTwo.Count} server requests for {distinct} distinct requests ({twice} made by both); " +
            $"worker a {first[0].Calls} backend calls + {first[0].CacheHits} cache hits, worker b {first[1].Calls} + {first[1].CacheHits}");

        // Redis holds one entry per distinct request.
        var entries = await RedisContents.ReadAllAsync(redis);
        Assert.Equal(distinct, entries.Count);

        // The same settings again, in a new process: all from Redis.
        var third = await RunWorkerAsync(job, "c");
        Assert.Equal(afterTwo.Count, server.RequestCount);
        Assert.Equal(first[0].BestPrompts, third.BestPrompts);
        Assert.Equal(first[0].BestDevAccuracy, third.BestDevAccuracy);
        Assert.Equal(0, third.Calls);
        Assert.Equal(first[0].Calls + first[0].CacheHits, third.CacheHits);
    }

    private async Task<WorkerResult> RunWorkerAsync(string job, string name)
    {
        var worker = typeof(SharedCacheAcrossProcessesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "CacheWorkerPath").Value!;
        Assert.True(File.Exists(worker), $"the worker was not built: {worker}");
        var resultPath = Path.Combine(_folder, $"result-{name}.json");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { worker, job, resultPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["DLN_WORKER_API_KEY"] = ApiKey },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"worker {name} ran for more than 5 minutes:\n{await stdout}\n{await stderr}");
        }

        var log = $"{await stdout}{await stderr}";
        output.WriteLine($"worker {name} (exit {process.ExitCode}): {log.Trim()}");
        Assert.True(process.ExitCode == 0, $"worker {name} exited with {process.ExitCode}:\n{log}");
        return JsonSerializer.Deserialize<WorkerResult>(await File.ReadAllTextAsync(resultPath), Json)!;
    }
}
