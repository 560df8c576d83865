namespace DeepLanguageNetworks;

/// <summary>How likely a model finds a given text after a context: the sum and the mean of the log-probabilities of the continuation's tokens after a burn-in of its first tokens (by default the paper's 5 %, none for texts under 20 tokens).</summary>
/// <param name="Sum">Sum of the log-probabilities of the scored tokens.</param>
/// <param name="Mean">Mean log-probability per scored token (the length-normalised score used to compare hidden texts).</param>
/// <param name="TokenCount">Number of tokens of the continuation.</param>
/// <param name="ScoredTokens">Number of tokens after the burn-in that entered <see cref="Sum"/> and <see cref="Mean"/>.</param>
public readonly record struct ContinuationScore(double Sum, double Mean, int TokenCount, int ScoredTokens);
