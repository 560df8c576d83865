namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>A token with its log-probability and alternatives, for building wire responses.</summary>
/// <param name="Token">The token text.</param>
/// <param name="LogProbability">Its natural-log probability.</param>
/// <param name="Alternatives">The top alternatives at that position (the API's <c>top_logprobs</c>), possibly empty.</param>
public sealed record WireToken(string Token, double LogProbability, IReadOnlyList<(string Token, double LogProbability)> Alternatives);
