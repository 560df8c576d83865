namespace DeepLanguageNetworks;

/// <summary>A token with its natural-log probability.</summary>
/// <param name="Token">The token's text as the backend reports it (tokenizer artefacts such as a leading <c>Ġ</c> or <c>▁</c> are turned into spaces by the backend).</param>
/// <param name="LogProbability">Natural logarithm of the token's probability (≤ 0).</param>
public readonly record struct TokenLogProbability(string Token, double LogProbability);
