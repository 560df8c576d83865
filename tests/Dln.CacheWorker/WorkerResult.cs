namespace DeepLanguageNetworks.CacheWorker;

/// <summary>What a worker reports: the learned prompts and the run's calls.</summary>
/// <param name="BestPrompts">The prompts of the best validation.</param>
/// <param name="BestDevAccuracy">Its dev accuracy.</param>
/// <param name="Calls">Calls that reached the backend.</param>
/// <param name="CacheHits">Calls answered by the cache, or by an identical call in flight.</param>
/// <param name="CacheAvailable">Whether the shared cache was in use at the end of the run.</param>
public sealed record WorkerResult(IReadOnlyList<string> BestPrompts, double BestDevAccuracy, long Calls, long CacheHits, bool CacheAvailable);
