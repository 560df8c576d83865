namespace DeepLanguageNetworks.Tests.Reliability;

/// <summary>
/// Replaces the answers of some generation calls of a healthy model by odd ones (empty, truncated, off-format), the
/// way a real model sometimes answers. <c>rewrite</c> returns null to keep the inner model's answer.
/// </summary>
internal sealed class RewritingModel(ILanguageModel inner, Func<GenerationRequest, GenerationResponse?> rewrite) : DelegatingLanguageModel(inner)
{
    public override async Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return rewrite(request) ?? await base.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A response with the given text, as a backend that stopped for <paramref name="reason"/> gives it.</summary>
    public static GenerationResponse Answer(string text, FinishReason reason = FinishReason.Stop) =>
        new(text, new LanguageModelUsage(10, Math.Max(1, text.Length / 4))) { FinishReason = reason };
}
