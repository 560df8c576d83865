namespace DeepLanguageNetworks;

/// <summary>
/// A frozen language model seen as a text-in, text-out function with optional token log-probabilities.
/// This is the only thing the rest of the library needs from a backend (local llama.cpp, OpenAI, Azure OpenAI,
/// vLLM, Ollama, or a test double). Part of the surface for extension authors: implement it for a new backend, or derive
/// from <see cref="DelegatingLanguageModel"/> for a decorator.
/// </summary>
/// <remarks>
/// <para>Implementations must be safe for concurrent use: the trainer issues many independent calls at once.</para>
/// <para>Every operation is optional except generation; <see cref="Capabilities"/> says which ones a backend offers and
/// calling one it does not offer throws <see cref="NotSupportedException"/> naming the backend and the operation.
/// Backends check every request first with <see cref="LanguageModelRequest.Validate"/>, which does this and checks the
/// fields, so that all backends reject a bad request with the same message.</para>
/// <para>A call that fails in the backend throws <see cref="LanguageModelException"/>, whose
/// <see cref="LanguageModelException.Kind"/> says what went wrong and whether retrying may help.</para>
/// <para>Cross-cutting behaviour (caching, concurrency and rate limits, retries, usage accounting, logging) is added by
/// wrapping a model in <see cref="DelegatingLanguageModel"/> decorators, usually through <see cref="LanguageModelBuilder"/>.</para>
/// </remarks>
public interface ILanguageModel : IDisposable
{
    /// <summary>Describes the backend: provider, model id and what it can do.</summary>
    LanguageModelMetadata Metadata { get; }

    /// <summary>The operations this backend supports (shortcut for <c>Metadata.Capabilities</c>).</summary>
    LanguageModelCapabilities Capabilities => Metadata.Capabilities;

    /// <summary>Generates a continuation of <see cref="GenerationRequest.Prompt"/>.</summary>
    /// <param name="request">The prompt and its decoding options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The generated text, optional sampled-token log-probabilities and the token usage.</returns>
    Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Returns the <see cref="NextTokenRequest.TopK"/> most likely next tokens after a context, with their log-probabilities.</summary>
    /// <param name="request">The context and how many alternatives to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The top tokens sorted by decreasing log-probability and the token usage.</returns>
    /// <exception cref="NotSupportedException">The backend has no next-token log-probabilities.</exception>
    Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Scores a given continuation after a context by teacher forcing: the log-probability of each continuation token
    /// given the context and the continuation tokens before it.
    /// </summary>
    /// <param name="request">The context and the continuation to score.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One log-probability per continuation token and the token usage.</returns>
    /// <exception cref="NotSupportedException">The backend cannot score a given text (chat APIs cannot).</exception>
    Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Asks the model or any of its decorators for a service object of the given type (for example a usage tracker).</summary>
    /// <param name="serviceType">The type of service requested.</param>
    /// <param name="serviceKey">An optional key to tell several services of one type apart.</param>
    /// <returns>The service, or <see langword="null"/> when none is found.</returns>
    object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
}
