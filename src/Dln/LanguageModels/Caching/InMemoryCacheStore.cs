using System.Collections.Concurrent;

namespace DeepLanguageNetworks;

/// <summary>
/// A process-local <see cref="ILanguageModelCacheStore"/> over a concurrent dictionary, optionally capped in entries.
/// Thread-safe. Used on its own for a run-scoped cache, or in front of a persistent store in a <see cref="TieredCacheStore"/>.
/// </summary>
/// <remarks>
/// When <see cref="MaxEntries"/> is set, the entries inserted first are evicted first. First-in-first-out is enough
/// here: a training run reads an entry soon after writing it (de-duplication, score reuse within an iteration), and
/// the persistent store behind keeps everything. Use <see cref="DistributedCacheStore"/> over a
/// <c>MemoryDistributedCache</c> when you need size-based or sliding expiration.
/// </remarks>
public sealed class InMemoryCacheStore : ILanguageModelCacheStore
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _insertionOrder = new();

    /// <summary>Creates an empty store.</summary>
    /// <param name="maxEntries">The most entries kept, or <see langword="null"/> (the default) for no limit. Must be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEntries"/> is zero or negative.</exception>
    public InMemoryCacheStore(int? maxEntries = null)
    {
        if (maxEntries is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxEntries), maxEntries, "maxEntries must be positive, or null for no limit.");
        }

        MaxEntries = maxEntries;
    }

    /// <summary>The most entries kept, or <see langword="null"/> for no limit.</summary>
    public int? MaxEntries { get; }

    /// <summary>How many entries the store holds now.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    public ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ValueTask.FromResult(_entries.TryGetValue(key, out var value) ? value : null);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_entries.TryAdd(key, value))
        {
            _entries[key] = value;
        }
        else if (MaxEntries is { } max)
        {
            _insertionOrder.Enqueue(key);
            while (_entries.Count > max && _insertionOrder.TryDequeue(out var oldest))
            {
                _entries.TryRemove(oldest, out _);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        _entries.Clear();
        _insertionOrder.Clear();
    }
}
