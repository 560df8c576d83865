namespace DeepLanguageNetworks;

/// <summary>How likely a model finds a given text after a context (see <see cref="ContinuationScorer"/>).</summary>
/// <param name="Sum">Sum of the log-probabilities of the scored tokens.</param>
/// <param name="Mean">Mean log-probability per scored token (the length-normalised score used to compare hidden texts).</param>
/// <param name="TokenCount">Number of tokens of the continuation.</param>
/// <param name="ScoredTokens">Number of tokens after the burn-in that entered <see cref="Sum"/> and <see cref="Mean"/>.</param>
public readonly record struct ContinuationScore(double Sum, double Mean, int TokenCount, int ScoredTokens);
