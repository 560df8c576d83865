using DeepLanguageNetworks.Tests.Data;
using DeepLanguageNetworks.Tests.Scripted;
using DeepLanguageNetworks.Tests.Training;

namespace DeepLanguageNetworks.Tests.Reliability;

/// <summary>
/// A training run whose persistent cache file is damaged detects it, reports it once, sets the file aside and trains
/// with a fresh cache, to the same prompts as a run without a cache; the fresh cache then serves the next run.
/// </summary>
public sealed class CacheIntegrityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    public async Task A_damaged_cache_file_is_set_aside_once_and_training_proceeds_with_a_fresh_cache(string damage)
    {
        var scenario = FaultScenario.Dln1;
        var path = Path.Combine(_folder.Path, "cache.db");
        using var world = new ScriptedWorldModel(scenario.Task);
        var reference = await scenario.TrainAsync(world);

        if (damage == "garbage")
        {
            var bytes = new byte[64 * 1024];
            new Random(3).NextBytes(bytes);
            await File.WriteAllBytesAsync(path, bytes);
        }
        else
        {
            // A healthy cache from an earlier run (with other settings, so that it holds other entries), cut in half
            // as by a full disk or an interrupted copy.
            using (var earlier = new SqliteCacheStore(path))
            {
                await scenario.TrainAsync(world, scenario.Options with { Seed = 5 }, scenario.Run with { CacheStore = earlier });
            }

            using var file = new FileStream(path, FileMode.Open);
            file.SetLength(file.Length / 2);
        }

        var logs = new CapturingLoggerFactory();
        using (var store = new SqliteCacheStore(path, logs.CreateLogger("cache")))
        {
            var result = await scenario.TrainAsync(world, run: scenario.Run with { CacheStore = store });

            Assert.NotNull(store.SetAsidePath);
            Assert.True(File.Exists(store.SetAsidePath));
            Assert.Single(logs.Entries, e => e.EventId.Id == LanguageModelLogEvents.CacheFileSetAside);
            Assert.Equal(RunRecord.Of(reference, accounting: false), RunRecord.Of(result, accounting: false));
            Assert.True(store.Count() > 0);
        }

        // The fresh cache is whole: the same run again is answered from it without a backend call.
        var callsBefore = world.Calls;
        var relogs = new CapturingLoggerFactory();
        using (var reopened = new SqliteCacheStore(path, relogs.CreateLogger("cache")))
        {
            var replay = await scenario.TrainAsync(world, run: scenario.Run with { CacheStore = reopened });
            Assert.Null(reopened.SetAsidePath);
            Assert.Empty(relogs.Entries);
            Assert.Equal(RunRecord.Of(reference, accounting: false), RunRecord.Of(replay, accounting: false));
            Assert.Equal(0, replay.Calls);
        }

        Assert.Equal(callsBefore, world.Calls);
    }
}
