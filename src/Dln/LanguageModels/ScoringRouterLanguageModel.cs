namespace DeepLanguageNetworks;

/// <summary>
/// Sends continuation scoring to a second model and everything else (generation, next-token scoring) to the first:
/// the way a deep network (DLN-2 and deeper) trains against a chat API that cannot score a given text, such as OpenAI
/// or Azure OpenAI, with a self-hosted scorer beside it (a vLLM completions endpoint, a local model). Thread-safe when
/// both models are.
/// </summary>
/// <remarks>
/// <para>The router reports the generator's metadata with <see cref="LanguageModelCapabilities.ContinuationLogProbabilities"/>
/// set, and a context length that fits both models. When the two model ids differ, the reported id names both
/// (<c>generator+scorer</c>), so that a cache keyed by model id never answers one scorer's request with another's
/// scores.</para>
/// <para><see cref="ILanguageModel.GetService"/> searches the generator first, then the scorer. Disposing the router
/// disposes both models.</para>
/// </remarks>
/// <example>
/// <code>
/// using ILanguageModel model = OpenAIChatLanguageModel.ForOpenAI(apiKey, "gpt-4o-mini")
///     .AsBuilder()
///     .UseContinuationScoring(new CompletionsScoringModel(new Uri("http://gpu-box:8000/v1"), "Qwen/Qwen2.5-7B-Instruct"))
///     .Build();
/// </code>
/// </example>
public sealed class ScoringRouterLanguageModel : DelegatingLanguageModel
{
    /// <summary>Routes continuation scoring of <paramref name="generator"/> to <paramref name="scorer"/>.</summary>
    /// <param name="generator">Generates text and scores next tokens.</param>
    /// <param name="scorer">Scores continuations; must offer <see cref="LanguageModelOperation.ContinuationLogProbabilities"/>.</param>
    /// <exception cref="NotSupportedException"><paramref name="scorer"/> cannot score continuations.</exception>
    public ScoringRouterLanguageModel(ILanguageModel generator, ILanguageModel scorer)
        : base(generator)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        scorer.Capabilities.Require(LanguageModelOperation.ContinuationLogProbabilities, scorer.Metadata.ToString());
        Scorer = scorer;
        var generated = generator.Metadata;
        var scoring = scorer.Metadata;
        Metadata = generated with
        {
            ModelId = generated.ModelId == scoring.ModelId ? generated.ModelId : $"{generated.ModelId}+{scoring.ModelId}",
            Capabilities = generated.Capabilities with
            {
                ContinuationLogProbabilities = true,
                Deterministic = generated.Capabilities.Deterministic && scoring.Capabilities.Deterministic,
                ContextLength = Shorter(generated.Capabilities.ContextLength, scoring.Capabilities.ContextLength),
            },
        };
    }

    /// <inheritdoc />
    public override LanguageModelMetadata Metadata { get; }

    /// <summary>The model that generates text and scores next tokens.</summary>
    public ILanguageModel Generator => InnerModel;

    /// <summary>The model that scores continuations.</summary>
    public ILanguageModel Scorer { get; }

    /// <inheritdoc />
    public override Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
        Scorer.ScoreContinuationAsync(request, cancellationToken);

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        base.GetService(serviceType, serviceKey) ?? Scorer.GetService(serviceType, serviceKey);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Scorer.Dispose();
        }

        base.Dispose(disposing);
    }

    private static int? Shorter(int? a, int? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
