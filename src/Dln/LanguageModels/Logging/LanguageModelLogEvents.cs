namespace DeepLanguageNetworks;

/// <summary>
/// Event ids of the log messages written by the language model decorators, so that users can filter them.
/// 2000–2099: calls (<see cref="LoggingLanguageModel"/>); 1100–1199: cache; 1200–1299: retries and limits;
/// 1300–1399: usage and budgets.
/// </summary>
internal static class LanguageModelLogEvents
{
    /// <summary>A call completed (Debug).</summary>
    public const int CallCompleted = 2000;

    /// <summary>The prompt of a call (Trace).</summary>
    public const int CallPrompt = 2001;

    /// <summary>The response text of a call (Trace).</summary>
    public const int CallResponse = 2002;

    /// <summary>A call failed (Warning).</summary>
    public const int CallFailed = 2003;

    /// <summary>A call was cancelled by its caller (Debug).</summary>
    public const int CallCancelled = 2004;

    /// <summary>The cache file was unreadable or corrupted and was set aside; a fresh cache is used (Warning).</summary>
    public const int CacheFileSetAside = 1100;

    /// <summary>Reading the cache store failed; the call went to the backend (Warning).</summary>
    public const int CacheReadFailed = 1101;

    /// <summary>Writing to the cache store failed; the response was not cached (Warning).</summary>
    public const int CacheWriteFailed = 1102;

    /// <summary>A cache entry could not be decoded and was treated as a miss (Warning).</summary>
    public const int CacheEntryUnreadable = 1103;

    /// <summary>
    /// A shared cache (<see cref="DistributedCacheStore"/>, Redis) failed or timed out and is switched off for a while;
    /// calls go on without it (Warning, once per outage; Debug for later failures of the same outage).
    /// </summary>
    public const int CacheStoreUnavailable = 1104;

    /// <summary>A shared cache that was unavailable answers again and is used again (Information).</summary>
    public const int CacheStoreRestored = 1105;

    /// <summary>A transient failure is being retried after a delay (Warning).</summary>
    public const int RetryScheduled = 1200;

    /// <summary>A call was refused because it would exceed the usage budget (Warning).</summary>
    public const int BudgetRefused = 1300;
}
