using System.Text;
using DeepLanguageNetworks.CacheWorker;
using DeepLanguageNetworks.OpenAI.Tests;
using DeepLanguageNetworks.Tests.Scripted;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.Caching.Redis.Tests;

/// <summary>
/// DLN-1 trains through the OpenAI chat backend against the local fake server (answering in OpenAI's wire format from
/// the scripted world) with a real Redis as its cache: a Redis killed mid-run changes nothing but the bill, and no
/// secret ever reaches Redis.
/// </summary>
public sealed class RedisTrainingTests
{
    private const string ApiKey = "sk-test-DLN-REDIS-SECRET-0123456789";

    [Fact]
    public async Task A_Redis_killed_mid_run_degrades_to_no_cache_with_one_warning_and_the_run_ends_as_a_run_without_cache()
    {
        await using var redis = await RedisServer.StartAsync();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var answer = LanguageModelServerHandler.Create(world);
        var killAt = int.MaxValue;
        await using var server = await FakeOpenAIServer.StartAsync(request =>
        {
            // The server's count passes killAt during the second run: Redis dies between two backend calls.
            if (request.Index == Volatile.Read(ref killAt))
            {
                redis.Kill();
            }

            return answer(request);
        });
        var (train, dev, _) = NumberParityTask.Splits();

        var withoutCache = await TrainingJob.RunAsync(server.BaseUrl, ApiKey, cache: null, train, dev);
        var requestsWithoutCache = server.RequestCount;

        var logger = new CapturingLogger();
        Volatile.Write(ref killAt, requestsWithoutCache + requestsWithoutCache / 3);
        TrainingResult degraded;
        bool availableAtTheEnd;
        using (var cache = RedisCacheStore.Connect(redis.Url, logger: logger))
        {
            degraded = await TrainingJob.RunAsync(server.BaseUrl, ApiKey, cache, train, dev, logger);
            availableAtTheEnd = cache.IsAvailable;
        }

        Assert.True(server.RequestCount > Volatile.Read(ref killAt), "Redis was not killed during the run");
        Assert.False(availableAtTheEnd);
        Assert.Equal(withoutCache.BestPrompts, degraded.BestPrompts);
        Assert.Equal(withoutCache.BestDevAccuracy, degraded.BestDevAccuracy);
        Assert.Equal(Summary(withoutCache), Summary(degraded));
        Assert.True(withoutCache.BestDevAccuracy >= 0.9, $"best dev {withoutCache.BestDevAccuracy}");
        var warning = Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LanguageModelLogEvents.CacheStoreUnavailable, warning.EventId.Id);
        Assert.Contains($"Redis at 127.0.0.1:{redis.Port}", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_secret_reaches_Redis_not_in_a_key_nor_in_a_value_in_UTF8_or_UTF16()
    {
        const string RedisPassword = "REDIS-pw-not-for-the-cache-31";
        await using var redis = await RedisServer.StartAsync(RedisPassword);
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var answer = LanguageModelServerHandler.Create(world);
        await using var server = await FakeOpenAIServer.StartAsync(request =>
            request.GetHeader("Authorization") == $"Bearer {ApiKey}"
                ? answer(request)
                : Task.FromResult(FakeResponse.Error(401, $"Incorrect API key provided: {ApiKey}.", code: "invalid_api_key")));
        var (train, dev, _) = NumberParityTask.Splits();

        TrainingResult result;
        using (var cache = RedisCacheStore.Connect(redis.Url, RedisServer.GenerousTimeouts))
        {
            result = await TrainingJob.RunAsync(server.BaseUrl, ApiKey, cache, train, dev);
        }

        var contents = await RedisContents.ReadAllAsync(redis);
        Assert.True(server.RequestCount > 50, $"{server.RequestCount} requests");
        Assert.Equal(server.RequestCount, contents.Count); // one entry per request the backend answered
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {ApiKey}", r.GetHeader("Authorization")));

        // The scan reads the stored responses themselves: the learned prompt is in one of them (a proposal).
        var allBytes = contents.SelectMany(e => new[] { e.Key }.Concat(e.Parts)).ToArray();
        Assert.Contains(allBytes, b => Encoding.UTF8.GetString(b).Contains(Json(result.BestPrompts[0]), StringComparison.Ordinal));
        foreach (var secret in new[] { ApiKey, RedisPassword, "Bearer" })
        {
            foreach (var encoded in new[] { Encoding.UTF8.GetBytes(secret), Encoding.Unicode.GetBytes(secret) })
            {
                Assert.All(allBytes, b => Assert.True(b.AsSpan().IndexOf(encoded) < 0, $"'{secret}' is stored in Redis"));
            }
        }
    }

    // What a run learned, iteration by iteration (calls and tokens differ with a cache by design).
    private static string Summary(TrainingResult result) => string.Join("\n", result.History.Select(h =>
        $"{h.Iteration}|{string.Join("/", h.Prompts)}|{h.BatchAccuracy}|{h.TrainLoss}|{h.DevAccuracy}|{h.Backtracked}"));

    // A prompt as it appears inside a JSON payload.
    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text)[1..^1];
}
