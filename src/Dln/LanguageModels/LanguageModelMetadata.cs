namespace DeepLanguageNetworks;

/// <summary>Describes a language model backend.</summary>
/// <param name="ProviderName">The backend family, for example <c>llama.cpp</c>, <c>openai</c>, <c>azure-openai</c>, <c>vllm</c>.</param>
/// <param name="ModelId">The model or deployment name. Part of every cache key.</param>
/// <param name="Capabilities">What the backend can do.</param>
public sealed record LanguageModelMetadata(string ProviderName, string ModelId, LanguageModelCapabilities Capabilities)
{
    /// <summary>Where the backend lives (a base URL for hosted models, a file name for local ones); never contains secrets.</summary>
    public string? Endpoint { get; init; }

    /// <inheritdoc />
    public override string ToString() => Endpoint is null ? $"{ProviderName}:{ModelId}" : $"{ProviderName}:{ModelId} at {Endpoint}";
}
