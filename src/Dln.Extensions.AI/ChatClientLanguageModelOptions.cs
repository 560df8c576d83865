namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>
/// Settings of a <see cref="ChatClientLanguageModel"/>; the provider name, concurrency and context length it reports
/// come from <see cref="RemoteLanguageModelOptions"/> (the provider name defaults to the chat client's own). Every setter
/// validates its value and throws <see cref="ArgumentOutOfRangeException"/> naming the option.
/// </summary>
public sealed record ChatClientLanguageModelOptions : RemoteLanguageModelOptions
{
    private readonly string? _modelId;
    private readonly int _maxTopLogProbabilities = 20;

    /// <summary>
    /// The model sent in <c>ChatOptions.ModelId</c> and reported in the metadata; <see langword="null"/> for the chat
    /// client's default model. Must not be empty or white space.
    /// </summary>
    public string? ModelId
    {
        get => _modelId;
        init => _modelId = OptionGuard.NotBlankOrNull(value, nameof(ModelId));
    }

    /// <summary>
    /// Whether to ask for log-probabilities (sampled-token and next-token top-k). Microsoft.Extensions.AI has no
    /// log-probability options, so they pass only through an OpenAI <c>ChatClient</c> underneath (see
    /// <see cref="ChatClientLanguageModel"/>). <see langword="null"/> (the default) detects it: true when the chat client
    /// exposes an <c>OpenAI.Chat.ChatClient</c> through <c>GetService</c> (behind a Microsoft.Extensions.AI cache, put
    /// <see cref="LogProbabilityCaptureChatClientBuilderExtensions.UseLogProbabilityCapture"/> below it). Set
    /// <see langword="false"/> for reasoning models, which reject log-probabilities.
    /// </summary>
    public bool? LogProbabilities { get; init; }

    /// <summary>The largest top-k requested (requests for more are clamped). Default 20, the OpenAI limit. Must be between 1 and 20.</summary>
    public int MaxTopLogProbabilities
    {
        get => _maxTopLogProbabilities;
        init => _maxTopLogProbabilities = OptionGuard.InRange(value, 1, 20, nameof(MaxTopLogProbabilities));
    }

    /// <summary>
    /// With an OpenAI client underneath, also send the legacy <c>max_tokens</c> field (Ollama and llama-cpp-python
    /// ignore <c>max_completion_tokens</c>). Default <see langword="false"/>.
    /// </summary>
    public bool SendLegacyMaxTokens { get; init; }
}
