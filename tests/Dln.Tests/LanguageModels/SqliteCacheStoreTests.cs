using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace DeepLanguageNetworks.Tests;

public sealed class SqliteCacheStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dln-tests-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "cache.db");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Responses_survive_a_restart_with_a_new_instance_on_the_same_file()
    {
        var request = new GenerationRequest("Q: capital of France?") { IncludeLogProbabilities = true, Temperature = 0.5, SampleIndex = 2 };
        GenerationResponse original;
        var firstBackend = new CountingLanguageModel();
        using (var firstStore = new SqliteCacheStore(DatabasePath))
        using (var firstRun = new CachingLanguageModel(firstBackend, firstStore))
        {
            original = await firstRun.GenerateAsync(request);
        }

        var secondBackend = new CountingLanguageModel();
        using var secondStore = new SqliteCacheStore(DatabasePath);
        using var secondRun = new CachingLanguageModel(secondBackend, secondStore);
        var replayed = await secondRun.GenerateAsync(request);

        Assert.Equal(1, firstBackend.Started);
        Assert.Equal(0, secondBackend.Started);
        Assert.True(replayed.FromCache);
        Assert.Equal(original.Text, replayed.Text);
        Assert.Equal(original.Usage, replayed.Usage);
        CachingLanguageModelTests.AssertBitExact(original.TokenLogProbabilities!, replayed.TokenLogProbabilities!);
        Assert.Null(secondStore.SetAsidePath);
    }

    [Fact]
    public async Task A_file_of_garbage_is_set_aside_reported_once_and_replaced_by_a_fresh_cache()
    {
        Directory.CreateDirectory(_directory);
        var garbage = new byte[8192];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(DatabasePath, garbage);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, 89, TimeSpan.Zero));
        var logs = new CapturingLoggerFactory();

        using var store = new SqliteCacheStore(DatabasePath, logs.CreateLogger("sqlite"), clock);
        await store.SetAsync("k", [1, 2, 3]);

        var expectedAside = DatabasePath + ".corrupt-20260304T050607089Z";
        Assert.Equal(expectedAside, store.SetAsidePath);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(expectedAside));
        Assert.Equal([1, 2, 3], await store.TryGetAsync("k"));
        Assert.Equal(1, store.Count());
        var warning = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(LanguageModelLogEvents.CacheFileSetAside, warning.EventId.Id);
        Assert.Contains(expectedAside, warning.Message);
    }

    [Fact]
    public async Task A_truncated_database_is_detected_and_set_aside()
    {
        using (var store = new SqliteCacheStore(DatabasePath))
        {
            var payload = Encoding.UTF8.GetBytes(new string('x', 2000));
            for (var i = 0; i < 200; i++)
            {
                await store.SetAsync("key-" + i, payload);
            }
        }

        var length = new FileInfo(DatabasePath).Length;
        Assert.True(length > 100_000, $"The test database is too small to truncate meaningfully ({length} bytes).");
        using (var file = new FileStream(DatabasePath, FileMode.Open))
        {
            file.SetLength(length / 2);
        }

        var logs = new CapturingLoggerFactory();
        using var reopened = new SqliteCacheStore(DatabasePath, logs.CreateLogger("sqlite"));

        Assert.NotNull(reopened.SetAsidePath);
        Assert.True(File.Exists(reopened.SetAsidePath));
        Assert.Equal(0, reopened.Count());
        Assert.Null(await reopened.TryGetAsync("key-1"));
        await reopened.SetAsync("fresh", [42]);
        Assert.Equal([42], await reopened.TryGetAsync("fresh"));
        Assert.Single(logs.WithEventId(LanguageModelLogEvents.CacheFileSetAside));
    }

    [Fact]
    public async Task A_healthy_file_is_not_set_aside()
    {
        using (var store = new SqliteCacheStore(DatabasePath))
        {
            await store.SetAsync("k", [7]);
        }

        var logs = new CapturingLoggerFactory();
        using var reopened = new SqliteCacheStore(DatabasePath, logs.CreateLogger("sqlite"));

        Assert.Null(reopened.SetAsidePath);
        Assert.Empty(logs.Entries);
        Assert.Equal([7], await reopened.TryGetAsync("k"));
        Assert.Empty(Directory.GetFiles(_directory, "*.corrupt-*"));
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_lose_nothing()
    {
        using var store = new SqliteCacheStore(DatabasePath);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            await store.SetAsync("k" + i, BitConverter.GetBytes(i));
            Assert.Equal(BitConverter.GetBytes(i), await store.TryGetAsync("k" + i));
        })));

        Assert.Equal(200, store.Count());
    }

    [Fact]
    public async Task The_file_holds_responses_only_not_endpoints_or_credentials()
    {
        var backend = new CountingLanguageModel(endpoint: "https://secret-host.example/v1?api-key=sk-DO-NOT-STORE");
        using (var store = new SqliteCacheStore(DatabasePath))
        using (var model = new CachingLanguageModel(backend, store))
        {
            await model.GenerateAsync(new GenerationRequest("the prompt"));
        }

        var bytes = await File.ReadAllBytesAsync(DatabasePath);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("sk-DO-NOT-STORE", text);
        Assert.DoesNotContain("secret-host", text);
        Assert.Contains("the prompt", text); // the response echoes the prompt: proves the data itself is in this file

        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table';";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        Assert.Equal(["entries"], tables);
    }
}
