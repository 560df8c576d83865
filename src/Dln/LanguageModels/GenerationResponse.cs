namespace DeepLanguageNetworks;

/// <summary>The result of <see cref="ILanguageModel.GenerateAsync"/>.</summary>
/// <param name="Text">The generated text, without the prompt and without the stop sequence.</param>
/// <param name="Usage">Tokens consumed by the call.</param>
public sealed record GenerationResponse(string Text, LanguageModelUsage Usage) : LanguageModelResponse(Usage)
{
    /// <summary>Log-probability of each generated token, when requested and supported; otherwise <see langword="null"/>.</summary>
    public IReadOnlyList<TokenLogProbability>? TokenLogProbabilities { get; init; }

    /// <summary>Why generation ended.</summary>
    public FinishReason FinishReason { get; init; } = FinishReason.Unknown;

    /// <summary>Mean log-probability per generated token, or <see langword="null"/> without token log-probabilities.</summary>
    public double? MeanLogProbability =>
        TokenLogProbabilities is { Count: > 0 } t ? t.Average(x => x.LogProbability) : null;
}
