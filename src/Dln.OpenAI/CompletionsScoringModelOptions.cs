namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Settings of a <see cref="CompletionsScoringModel"/>. Retries, timeout, concurrency and the reported provider name
/// (<c>vllm</c> unless set) come from <see cref="HostedLanguageModelOptions"/>. Every setter validates its value and throws
/// <see cref="ArgumentOutOfRangeException"/> naming the option.
/// </summary>
public sealed record CompletionsScoringModelOptions : HostedLanguageModelOptions
{
    private readonly int _maxTopLogProbabilities = 20;
    private readonly int _echoMaxTokens = 1;
    private readonly int _maxPromptsPerRequest = 1;
    private readonly TimeSpan _batchWindow = TimeSpan.FromMilliseconds(5);
    private readonly int? _requestsPerMinute;

    /// <summary>How continuations are scored. Default <see cref="ContinuationScoringMode.Echo"/>.</summary>
    public ContinuationScoringMode ScoringMode { get; init; } = ContinuationScoringMode.Echo;

    /// <summary>
    /// The largest top-k requested for next-token log-probabilities (requests for more are clamped). Default 20, vLLM's
    /// default <c>--max-logprobs</c>. Must be between 1 and 1000.
    /// </summary>
    public int MaxTopLogProbabilities
    {
        get => _maxTopLogProbabilities;
        init => _maxTopLogProbabilities = OptionGuard.InRange(value, 1, 1000, nameof(MaxTopLogProbabilities));
    }

    /// <summary>
    /// The <c>max_tokens</c> sent with a scoring request: 1 (the default) works with every server; 0 saves generating a
    /// token on servers that accept it (recent vLLM with echo). Must be 0 or 1.
    /// </summary>
    public int EchoMaxTokens
    {
        get => _echoMaxTokens;
        init => _echoMaxTokens = OptionGuard.InRange(value, 0, 1, nameof(EchoMaxTokens));
    }

    /// <summary>
    /// The most prompts sent in one HTTP request. Above 1, calls that arrive within <see cref="BatchWindow"/> of each
    /// other with the same settings (the same operation, token limit, temperature, stop sequences, seed and
    /// log-probability options: concurrent scoring calls, generations without distinct seeds) travel together as one
    /// <c>/v1/completions</c> request whose <c>prompt</c> is the list of their texts, as vLLM and OpenAI's legacy
    /// completions accept; each caller receives the choice whose <c>index</c> is its prompt's. A failure of the request
    /// fails each of its callers, except that a request the server refuses as invalid (HTTP 400 or 422, an input too
    /// long) is sent again one prompt at a time, so that only the caller at fault fails. A batched request's token
    /// usage is divided among its callers (prompt tokens in proportion to their prompts' lengths, completion tokens
    /// evenly); the totals are the server's. With batching the model advertises <see cref="RemoteLanguageModelOptions.MaxConcurrency"/>
    /// × this value as its <see cref="LanguageModelCapabilities.DefaultMaxConcurrency"/>, so that a concurrency limit
    /// above it lets enough calls through to fill the requests, and itself keeps at most
    /// <see cref="RemoteLanguageModelOptions.MaxConcurrency"/> HTTP requests in flight. Default 1: every call is its own
    /// request (servers that refuse a list of prompts, such as Ollama's, need it). Must be between 1 and 2048.
    /// </summary>
    public int MaxPromptsPerRequest
    {
        get => _maxPromptsPerRequest;
        init => _maxPromptsPerRequest = OptionGuard.InRange(value, 1, 2048, nameof(MaxPromptsPerRequest));
    }

    /// <summary>
    /// With <see cref="MaxPromptsPerRequest"/> above 1, how long the first call of a request waits for others to join
    /// it; a request leaves at once when it is full. Default 5 ms. Must be between 0 and 1 second.
    /// </summary>
    public TimeSpan BatchWindow
    {
        get => _batchWindow;
        init => _batchWindow = value >= TimeSpan.Zero && value <= TimeSpan.FromSeconds(1)
            ? value
            : throw OptionGuard.OutOfRange(nameof(BatchWindow), value, "between 0 and 1 second");
    }

    /// <summary>
    /// The most HTTP requests started per minute (every attempt of every request, batched or not, counts once), or
    /// <see langword="null"/> (the default) for no limit. This is the limit to set for a server that counts requests:
    /// the requests-per-minute limit of <see cref="ConcurrencyLimitingLanguageModel"/> sits above the model and counts
    /// calls, so with <see cref="MaxPromptsPerRequest"/> above 1 it would count every prompt of a batched request.
    /// Requests are spread evenly, at most one second's worth (at least one request) in a burst. Must be positive.
    /// </summary>
    public int? RequestsPerMinute
    {
        get => _requestsPerMinute;
        init => _requestsPerMinute = OptionGuard.PositiveOrNull(value, nameof(RequestsPerMinute), "for no limit");
    }
}
