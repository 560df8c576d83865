using StackExchange.Redis;

namespace DeepLanguageNetworks.Caching.Redis.Tests;

/// <summary>Everything a Redis server holds, read with a separate admin connection: every key, its type and its bytes.</summary>
public static class RedisContents
{
    /// <summary>One key and what it holds.</summary>
    /// <param name="Key">The key's bytes.</param>
    /// <param name="Type">The Redis type.</param>
    /// <param name="Parts">The value's bytes: the value of a string, field names and values of a hash, members of other types.</param>
    public sealed record Entry(byte[] Key, RedisType Type, IReadOnlyList<byte[]> Parts)
    {
        /// <summary>The key as text.</summary>
        public string KeyText => System.Text.Encoding.UTF8.GetString(Key);
    }

    /// <summary>Reads every key of every database (SCAN, then GET / HGETALL / LRANGE / SMEMBERS / ZRANGE by type).</summary>
    /// <param name="server">The server.</param>
    /// <returns>The entries.</returns>
    public static async Task<IReadOnlyList<Entry>> ReadAllAsync(RedisServer server)
    {
        var options = ConfigurationOptions.Parse(server.Configuration);
        options.AllowAdmin = true;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var admin = connection.GetServer(connection.GetEndPoints()[0]);
        var entries = new List<Entry>();
        for (var database = 0; database < admin.DatabaseCount; database++)
        {
            var db = connection.GetDatabase(database);
            await foreach (var key in admin.KeysAsync(database, pageSize: 1000))
            {
                var type = await db.KeyTypeAsync(key);
                IReadOnlyList<byte[]> parts = type switch
                {
                    RedisType.String => [(byte[])(await db.StringGetAsync(key))!],
                    RedisType.Hash => (await db.HashGetAllAsync(key)).SelectMany(e => new[] { (byte[])e.Name!, (byte[])e.Value! }).ToArray(),
                    RedisType.List => (await db.ListRangeAsync(key)).Select(v => (byte[])v!).ToArray(),
                    RedisType.Set => (await db.SetMembersAsync(key)).Select(v => (byte[])v!).ToArray(),
                    RedisType.SortedSet => (await db.SortedSetRangeByRankAsync(key)).Select(v => (byte[])v!).ToArray(),
                    _ => throw new InvalidOperationException($"Unexpected Redis type {type} at key {key}."),
                };
                entries.Add(new Entry((byte[])key!, type, parts));
            }
        }

        return entries;
    }
}
