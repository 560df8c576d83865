namespace DeepLanguageNetworks;

/// <summary>Settings of the cache decorator (<c>builder.UseCache(…)</c>).</summary>
public sealed record LanguageModelCacheOptions
{
    /// <summary>
    /// Skips cache lookups for every call, as if each request had <c>BypassCache</c> set: every call goes to the
    /// backend and its response replaces the stored one. Use it to refresh a cache. Default <see langword="false"/>.
    /// </summary>
    public bool Bypass { get; init; }

    /// <summary>
    /// De-duplicates identical concurrent requests so that they make one backend call. Default <see langword="true"/>.
    /// </summary>
    public bool DeduplicateConcurrentRequests { get; init; } = true;
}
