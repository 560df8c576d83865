namespace DeepLanguageNetworks;

/// <summary>
/// A fast store (usually <see cref="InMemoryCacheStore"/>) in front of a slower persistent or shared one
/// (<see cref="SqliteCacheStore"/>, <see cref="DistributedCacheStore"/>). Reads try the front store first and copy
/// hits from the back store to the front; writes go to both. Thread-safe when both stores are.
/// </summary>
public sealed class TieredCacheStore : ILanguageModelCacheStore, IDisposable
{
    private readonly bool _ownsStores;

    /// <summary>Combines two stores.</summary>
    /// <param name="front">The fast store, read first.</param>
    /// <param name="back">The persistent or shared store.</param>
    /// <param name="ownsStores">Whether <see cref="Dispose"/> disposes both stores (when they are disposable).</param>
    public TieredCacheStore(ILanguageModelCacheStore front, ILanguageModelCacheStore back, bool ownsStores = false)
    {
        ArgumentNullException.ThrowIfNull(front);
        ArgumentNullException.ThrowIfNull(back);
        Front = front;
        Back = back;
        _ownsStores = ownsStores;
    }

    /// <summary>The fast store.</summary>
    public ILanguageModelCacheStore Front { get; }

    /// <summary>The persistent or shared store.</summary>
    public ILanguageModelCacheStore Back { get; }

    /// <inheritdoc />
    public async ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        var value = await Front.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (value is not null)
        {
            return value;
        }

        value = await Back.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (value is not null)
        {
            await Front.SetAsync(key, value, cancellationToken).ConfigureAwait(false);
        }

        return value;
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        await Front.SetAsync(key, value, cancellationToken).ConfigureAwait(false);
        await Back.SetAsync(key, value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes both stores when this store owns them.</summary>
    public void Dispose()
    {
        if (_ownsStores)
        {
            (Front as IDisposable)?.Dispose();
            (Back as IDisposable)?.Dispose();
        }
    }
}
