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
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    };

    /// <summary>Completions options with the same network settings.</summary>
    /// <param name="maxRetries">Retries.</param>
    /// <param name="mode">The scoring mode.</param>
    /// <returns>The options.</returns>
    public static CompletionsScoringModelOptions Completions(int maxRetries = 2, ContinuationScoringMode mode = ContinuationScoringMode.Echo) => new()
    {
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        Timeout = TimeSpan.FromSeconds(5),
        ScoringMode = mode,
    };
}
