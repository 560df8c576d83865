namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>Options with millisecond backoff so that fault tests stay fast.</summary>
public static class TestOptions
{
    /// <summary>Chat options: 2 retries, 1 ms base delay, 2 s cap, 5 s per attempt.</summary>
    /// <param name="maxRetries">Retries.</param>
    /// <param name="timeout">Per-attempt timeout (default 5 s).</param>
    /// <param name="httpClient">The HttpClient to send through, if not the shared one.</param>
    /// <returns>The options.</returns>
    public static OpenAIChatLanguageModelOptions Chat(int maxRetries = 2, TimeSpan? timeout = null, HttpClient? httpClient = null) => new()
    {
        HttpClient = httpClient,
        Retry = Fast(maxRetries, timeout ?? TimeSpan.FromSeconds(5)),
    };

    /// <summary>Completions options with the same network settings.</summary>
    /// <param name="maxRetries">Retries.</param>
    /// <param name="mode">The scoring mode.</param>
    /// <returns>The options.</returns>
    public static CompletionsScoringModelOptions Completions(int maxRetries = 2, ContinuationScoringMode mode = ContinuationScoringMode.Echo) => new()
    {
        Retry = Fast(maxRetries, TimeSpan.FromSeconds(5)),
        ScoringMode = mode,
    };

    /// <summary>Retries from 1 ms, capped at 2 s, with the given count and per-attempt timeout.</summary>
    /// <param name="maxRetries">Retries.</param>
    /// <param name="timeout">Per-attempt timeout.</param>
    /// <returns>The retry options.</returns>
    public static LanguageModelRetryOptions Fast(int maxRetries, TimeSpan timeout) => new()
    {
        MaxRetryAttempts = maxRetries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromSeconds(2),
        AttemptTimeout = timeout,
    };
}
