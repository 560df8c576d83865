namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Settings of an <see cref="OpenAIChatLanguageModel"/>. Retries, timeout, concurrency and the reported provider name
/// come from <see cref="HostedLanguageModelOptions"/>. Every setter validates its value and throws
/// <see cref="ArgumentOutOfRangeException"/> naming the option.
/// </summary>
public sealed record OpenAIChatLanguageModelOptions : HostedLanguageModelOptions
{
    /// <summary>The largest top-k OpenAI chat completions return (<c>top_logprobs</c> accepts 0 to 20).</summary>
    public const int OpenAITopLogProbabilitiesLimit = 20;

    private readonly int _maxTopLogProbabilities = OpenAITopLogProbabilitiesLimit;

    /// <summary>
    /// Whether the model returns log-probabilities (<c>logprobs</c>, <c>top_logprobs</c>). Default
    /// <see langword="true"/>. Set it to <see langword="false"/> for reasoning models (o-series, gpt-5 family) and for
    /// servers without logprobs, so that the capabilities say so and training uses accuracy scoring.
    /// </summary>
    public bool LogProbabilities { get; init; } = true;

    /// <summary>
    /// The largest top-k requested for next-token log-probabilities (requests for more are clamped). Default 20, the
    /// OpenAI limit; vLLM caps it with <c>--max-logprobs</c>. Must be between 1 and 20.
    /// </summary>
    public int MaxTopLogProbabilities
    {
        get => _maxTopLogProbabilities;
        init => _maxTopLogProbabilities = OptionGuard.InRange(value, 1, OpenAITopLogProbabilitiesLimit, nameof(MaxTopLogProbabilities));
    }

    /// <summary>
    /// Whether to send the legacy <c>max_tokens</c> field next to <c>max_completion_tokens</c>. Ollama and
    /// llama-cpp-python ignore <c>max_completion_tokens</c>, so without <c>max_tokens</c> a one-token scoring call
    /// would generate a whole answer. <see langword="null"/> (the default) means: yes for
    /// <see cref="OpenAIChatLanguageModel.ForCompatibleServer"/>, no for OpenAI. For Azure OpenAI the Azure library
    /// sends only <c>max_tokens</c> (older deployments reject the new field); set <see langword="false"/> to send only
    /// <c>max_completion_tokens</c> instead, as o-series deployments require.
    /// </summary>
    public bool? SendLegacyMaxTokens { get; init; }
}
