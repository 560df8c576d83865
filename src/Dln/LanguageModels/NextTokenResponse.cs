namespace DeepLanguageNetworks;

/// <summary>The result of <see cref="ILanguageModel.GetNextTokenLogProbabilitiesAsync"/>.</summary>
/// <param name="TopTokens">The most likely next tokens, sorted by decreasing log-probability.</param>
/// <param name="Usage">Tokens consumed by the call.</param>
public sealed record NextTokenResponse(IReadOnlyList<TokenLogProbability> TopTokens, LanguageModelUsage Usage) : LanguageModelResponse(Usage);
