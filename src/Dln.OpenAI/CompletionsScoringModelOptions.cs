namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Settings of a <see cref="CompletionsScoringModel"/>. Network settings (timeout, retries, concurrency) come from
/// <see cref="HostedLanguageModelOptions"/>. Every setter validates its value and throws
/// <see cref="ArgumentOutOfRangeException"/> naming the option.
/// </summary>
public sealed class CompletionsScoringModelOptions : HostedLanguageModelOptions
{
    private int _maxTopLogProbabilities = 20;
    private int _echoMaxTokens = 1;
    private string? _providerName;

    /// <summary>How continuations are scored. Default <see cref="ContinuationScoringMode.Echo"/>.</summary>
    public ContinuationScoringMode ScoringMode { get; init; } = ContinuationScoringMode.Echo;

    /// <summary>
    /// The largest top-k requested for next-token log-probabilities (requests for more are clamped). Default 20, vLLM's
    /// default <c>--max-logprobs</c>. Must be between 1 and 1000.
    /// </summary>
    public int MaxTopLogProbabilities
    {
        get => _maxTopLogProbabilities;
        init => _maxTopLogProbabilities = value is >= 1 and <= 1000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxTopLogProbabilities), value, "MaxTopLogProbabilities must be between 1 and 1000.");
    }

    /// <summary>
    /// The <c>max_tokens</c> sent with a scoring request: 1 (the default) works with every server; 0 saves generating a
    /// token on servers that accept it (recent vLLM with echo). Must be 0 or 1.
    /// </summary>
    public int EchoMaxTokens
    {
        get => _echoMaxTokens;
        init => _echoMaxTokens = value is 0 or 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(EchoMaxTokens), value, "EchoMaxTokens must be 0 or 1.");
    }

    /// <summary>
    /// The provider name reported in <see cref="LanguageModelMetadata.ProviderName"/>; <see langword="null"/> for
    /// <c>vllm</c>. Must not be empty or white space.
    /// </summary>
    public string? ProviderName
    {
        get => _providerName;
        init => _providerName = value is null || !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ProviderName), value, "ProviderName must not be empty.");
    }
}
