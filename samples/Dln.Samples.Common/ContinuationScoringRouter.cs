namespace DeepLanguageNetworks.Samples;

/// <summary>
/// Sends generation and next-token scoring to a chat model and continuation scoring to a second model (a vLLM
/// completions endpoint), so that DLN-2 can train against a self-hosted server.
/// </summary>
internal sealed class ContinuationScoringRouter : DelegatingLanguageModel
{
    private readonly ILanguageModel _scorer;

    /// <summary>Combines <paramref name="chatModel"/> and <paramref name="scorer"/>.</summary>
    /// <param name="chatModel">Generates text and scores next tokens.</param>
    /// <param name="scorer">Scores continuations; must support it.</param>
    public ContinuationScoringRouter(ILanguageModel chatModel, ILanguageModel scorer)
        : base(chatModel)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        scorer.Capabilities.Require(LanguageModelOperation.ContinuationLogProbabilities, scorer.Metadata.ToString());
        _scorer = scorer;
        Metadata = chatModel.Metadata with
        {
            Capabilities = chatModel.Metadata.Capabilities with { ContinuationLogProbabilities = true },
        };
    }

    /// <inheritdoc />
    public override LanguageModelMetadata Metadata { get; }

    /// <summary>The model that scores continuations.</summary>
    public ILanguageModel Scorer => _scorer;

    /// <inheritdoc />
    public override Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
        _scorer.ScoreContinuationAsync(request, cancellationToken);

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        base.GetService(serviceType, serviceKey) ?? _scorer.GetService(serviceType, serviceKey);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scorer.Dispose();
        }

        base.Dispose(disposing);
    }
}
