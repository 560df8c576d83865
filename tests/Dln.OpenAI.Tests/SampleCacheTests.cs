using DeepLanguageNetworks.Samples;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>How the samples read <c>DLN_CACHE</c>: a SQLite file path or a Redis URL, with clear errors for anything else.</summary>
public sealed class SampleCacheTests : IDisposable
{
    private const string Password = "pw-SAMPLES-0123/x";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dln-sample-cache-" + Guid.NewGuid().ToString("N"));

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

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Unset_or_blank_means_no_cache(string? value)
    {
        Assert.Null(SampleCache.Parse(value));
        Assert.Null(SampleCache.Open(value));
    }

    [Fact]
    public async Task A_file_path_opens_a_SQLite_cache_that_keeps_entries_across_opens()
    {
        var path = Path.Combine(_folder, "runs", "cache.db");
        var target = SampleCache.Parse(" " + path + " ");

        Assert.Equal(path, target!.SqlitePath);
        Assert.Null(target.Redis);
        Assert.Equal($"SQLite file {path}", target.Description);
        using (var cache = SampleCache.Open(path)!)
        {
            await cache.Store.SetAsync("k", [1, 2]);
            Assert.Equal($"SQLite file {path}", cache.Description);
        }

        using (var reopened = SampleCache.Open(path)!)
        {
            Assert.Equal([1, 2], await reopened.Store.TryGetAsync("k"));
        }

        Assert.True(File.Exists(path));
        Assert.Equal(Path.GetFullPath("cache.db"), SampleCache.Parse("cache.db")!.SqlitePath);
    }

    [Theory]
    [InlineData("redis://cache-host:6380", "cache-host", 6380, false, null, null, -1)]
    [InlineData("redis://cache-host", "cache-host", 6379, false, null, null, -1)]
    [InlineData("REDIS://10.0.0.7:7000/3", "10.0.0.7", 7000, false, null, null, 3)]
    [InlineData("rediss://secure.example:6380", "secure.example", 6380, true, null, null, -1)]
    [InlineData("redis://:pw-SAMPLES-0123%2Fx@cache-host:6379", "cache-host", 6379, false, null, Password, -1)]
    [InlineData("redis://team:pw-SAMPLES-0123%2Fx@cache-host:6379/1", "cache-host", 6379, false, "team", Password, 1)]
    public void A_Redis_URL_gives_host_port_TLS_user_password_and_database(string value, string host, int port, bool tls, string? user, string? password, int database)
    {
        var target = SampleCache.Parse(value)!;

        Assert.Null(target.SqlitePath);
        var redis = Assert.IsType<StackExchange.Redis.ConfigurationOptions>(target.Redis);
        Assert.Single(redis.EndPoints);
        Assert.Equal($"{host}:{port}", DeepLanguageNetworks.Caching.Redis.RedisCacheStore.DescribeEndpoints(redis));
        Assert.Equal(tls, redis.Ssl);
        Assert.Equal(user, redis.User);
        Assert.Equal(password, redis.Password);
        Assert.Equal(database < 0 ? null : database, redis.DefaultDatabase);
        Assert.Equal($"Redis at {host}:{port}", target.Description);
        Assert.DoesNotContain(Password, target.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://cache-host:6379", "scheme 'http'")]
    [InlineData("redis://", "names no host")]
    [InlineData("redis://cache-host:not-a-port", "not a valid redis:// URL")]
    [InlineData("redis://pw-SAMPLES-0123@cache-host:6379", "no password")]
    [InlineData("redis://:pw-SAMPLES-0123@cache-host:6379/db", "database number")]
    [InlineData("redis://:pw-SAMPLES-0123@cache-host:6379?ssl=true", "query")]
    public void A_malformed_value_names_DLN_CACHE_and_what_was_expected_and_never_repeats_a_password(string value, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SampleCache.Parse(value));

        Assert.StartsWith("DLN_CACHE", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("redis://host:port", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-SAMPLES", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_is_refused_with_the_file_to_give_instead()
    {
        Directory.CreateDirectory(_folder);

        var error = Assert.Throws<InvalidOperationException>(() => SampleCache.Parse(_folder));
        var trailing = Assert.Throws<InvalidOperationException>(() => SampleCache.Parse("runs/"));

        Assert.Contains("DLN_CACHE names the folder", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_folder, "cache.db"), error.Message, StringComparison.Ordinal);
        Assert.Contains("DLN_CACHE names the folder", trailing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_Redis_still_opens_and_the_summary_says_the_in_memory_level_answered()
    {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        using var cache = SampleCache.Open("redis://127.0.0.1:1")!;
        await cache.Store.SetAsync("k", [7]);

        Assert.Equal([7], await cache.Store.TryGetAsync("k")); // from the in-memory level in front
        Assert.Equal("cache: 3 of 10 requests answered (30 %) by the in-memory level (Redis at 127.0.0.1:1 was unavailable: see the warning above)",
            SampleCache.Summary(cache, calls: 7, cacheHits: 3));
    }

    [Fact]
    public void The_summary_counts_hits_among_all_requests_and_names_the_cache()
    {
        var usage = new UsageTracker();
        usage.Record("m", CallPurpose.Unspecified, new LanguageModelUsage(10, 1), fromCache: false);
        usage.Record("m", CallPurpose.Unspecified, new LanguageModelUsage(10, 1), fromCache: true);
        usage.Record("m", CallPurpose.Unspecified, new LanguageModelUsage(10, 1), fromCache: true);

        Assert.Equal("cache: 2 of 3 requests answered (67 %) by the run's in-memory cache (set DLN_CACHE to keep responses across runs)",
            SampleCache.Summary(null, usage.Snapshot()));
        Assert.Equal("cache: 0 of 0 requests answered (0 %) by the run's in-memory cache (set DLN_CACHE to keep responses across runs)",
            SampleCache.Summary(null, 0, 0));
    }
}
