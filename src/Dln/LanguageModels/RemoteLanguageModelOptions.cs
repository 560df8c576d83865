namespace DeepLanguageNetworks;

/// <summary>
/// What an adapter of a model outside the process (a hosted API, a model server, a Microsoft.Extensions.AI chat
/// client) reports in its <see cref="LanguageModelMetadata"/> rather than discovers: the provider name, the
/// concurrency it suits, and its context window. The base of the options of the library's remote backends; for
/// backend authors, the base of theirs. Every value is checked when it is set, and <see cref="Validate"/> checks
/// the options as a whole.
/// </summary>
public abstract record RemoteLanguageModelOptions
{
    private readonly int _maxConcurrency = 16;
    private readonly int? _contextLength;
    private readonly string? _providerName;

    /// <summary>
    /// The concurrency the backend advertises in <see cref="LanguageModelCapabilities.DefaultMaxConcurrency"/>; the
    /// concurrency decorator uses it unless told otherwise. Default 16 (hosted endpoints). Lower it for servers that
    /// process one request at a time (Ollama). Must be between 1 and 1024.
    /// </summary>
    public int MaxConcurrency
    {
        get => _maxConcurrency;
        init => _maxConcurrency = OptionGuard.InRange(value, 1, 1024, nameof(MaxConcurrency));
    }

    /// <summary>The model's context window in tokens, when known; reported in <see cref="LanguageModelCapabilities.ContextLength"/>. Must be positive.</summary>
    public int? ContextLength
    {
        get => _contextLength;
        init => _contextLength = OptionGuard.PositiveOrNull(value, nameof(ContextLength), "when unknown");
    }

    /// <summary>
    /// The provider name reported in <see cref="LanguageModelMetadata.ProviderName"/> (for example <c>vllm</c> or
    /// <c>ollama</c>); <see langword="null"/> for the backend's default. Must not be empty or white space.
    /// </summary>
    public string? ProviderName
    {
        get => _providerName;
        init => _providerName = OptionGuard.NotBlankOrNull(value, nameof(ProviderName));
    }

    /// <summary>
    /// Checks the rules that involve several options; the backend calls it when it receives the options. The base has
    /// none; derived options add theirs (the hosted backends check their retry options).
    /// </summary>
    /// <exception cref="ArgumentException">An option contradicts another; the message names both.</exception>
    public virtual void Validate()
    {
    }
}
