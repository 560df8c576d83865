namespace DeepLanguageNetworks.OpenAI;

/// <summary>What a backend calls, described without secrets, for error messages and logs.</summary>
/// <param name="ProviderName">The provider name reported in the metadata (<c>openai</c>, <c>vllm</c>...).</param>
/// <param name="Label">The backend family as users know it (<c>OpenAI</c>, <c>Azure OpenAI</c>, <c>vLLM completions</c>...).</param>
/// <param name="Endpoint">The URL called: scheme, host and path, no query string.</param>
/// <param name="ModelId">The model or deployment name.</param>
/// <param name="Attempts">How many attempts a call makes, or <see langword="null"/> when the pipeline is not Dln's (a caller-built <c>ChatClient</c>).</param>
/// <param name="Timeout">The per-attempt timeout, or <see langword="null"/> when unknown.</param>
/// <param name="Redactor">Removes the API key from text that came from the server.</param>
internal sealed record CallTarget(string ProviderName, string Label, string Endpoint, string ModelId, int? Attempts, TimeSpan? Timeout, SecretRedactor Redactor)
{
    /// <summary>The longest a call may take over all its attempts, or <see langword="null"/> when the pipeline is not Dln's.</summary>
    public TimeSpan? TotalTimeout { get; init; }

    /// <summary>The clock of the total timeout.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
