namespace DeepLanguageNetworks;

/// <summary>
/// What every response of an <see cref="ILanguageModel"/> has in common: the tokens the call consumed and whether it
/// was answered without spending them. The three operations' responses derive from it.
/// </summary>
/// <param name="Usage">Tokens consumed by the call (for a cache hit: what the original call consumed).</param>
public abstract record LanguageModelResponse(LanguageModelUsage Usage)
{
    /// <summary>
    /// Whether the response was answered without a backend call of its own: from a cache, or by sharing an identical
    /// call in flight. Set by the cache decorator; usage tracking and telemetry count such responses as
    /// hits, their tokens as saved rather than spent.
    /// </summary>
    public bool FromCache { get; init; }
}
