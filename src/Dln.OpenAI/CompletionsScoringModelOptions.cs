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
}
