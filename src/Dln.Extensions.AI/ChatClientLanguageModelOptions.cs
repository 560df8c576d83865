namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>
/// Settings of a <see cref="ChatClientLanguageModel"/>. Every setter validates its value and throws
/// <see cref="ArgumentOutOfRangeException"/> naming the option.
/// </summary>
public sealed class ChatClientLanguageModelOptions
{
    private string? _modelId;
    private string? _providerName;
    private int _maxTopLogProbabilities = 20;
    private int _maxConcurrency = 16;
    private int? _contextLength;

    /// <summary>
    /// The model sent in <c>ChatOptions.ModelId</c> and reported in the metadata; <see langword="null"/> for the chat
    /// client's default model. Must not be empty or white space.
    /// </summary>
    public string? ModelId
    {
        get => _modelId;
        init => _modelId = value is null || !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ModelId), value, "ModelId must not be empty.");
    }

    /// <summary>The provider name reported in the metadata; <see langword="null"/> for the chat client's own. Must not be empty.</summary>
    public string? ProviderName
    {
        get => _providerName;
        init => _providerName = value is null || !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ProviderName), value, "ProviderName must not be empty.");
    }

    /// <summary>
    /// Whether to ask for log-probabilities (sampled-token and next-token top-k). Microsoft.Extensions.AI has no
    /// log-probability options, so they pass only through an OpenAI <c>ChatClient</c> underneath (see
    /// <see cref="ChatClientLanguageModel"/>). <see langword="null"/> (the default) detects it: true when the chat client
    /// exposes an <c>OpenAI.Chat.ChatClient</c> through <c>GetService</c>. Set <see langword="false"/> for reasoning
    /// models, which reject log-probabilities.
    /// </summary>
    public bool? LogProbabilities { get; init; }

    /// <summary>The largest top-k requested (requests for more are clamped). Default 20, the OpenAI limit. Must be between 1 and 20.</summary>
    public int MaxTopLogProbabilities
    {
        get => _maxTopLogProbabilities;
        init => _maxTopLogProbabilities = value is >= 1 and <= 20
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxTopLogProbabilities), value, "MaxTopLogProbabilities must be between 1 and 20.");
    }

    /// <summary>
    /// With an OpenAI client underneath, also send the legacy <c>max_tokens</c> field (Ollama and llama-cpp-python
    /// ignore <c>max_completion_tokens</c>). Default <see langword="false"/>.
    /// </summary>
    public bool SendLegacyMaxTokens { get; init; }

    /// <summary>The concurrency advertised in the capabilities. Default 16. Must be between 1 and 1024.</summary>
    public int MaxConcurrency
    {
        get => _maxConcurrency;
        init => _maxConcurrency = value is >= 1 and <= 1024
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), value, "MaxConcurrency must be between 1 and 1024.");
    }

    /// <summary>The model's context window in tokens, when known. Must be positive.</summary>
    public int? ContextLength
    {
        get => _contextLength;
        init => _contextLength = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ContextLength), value, "ContextLength must be positive.");
    }
}
