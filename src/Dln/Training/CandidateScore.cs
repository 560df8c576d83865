namespace DeepLanguageNetworks;

/// <summary>A candidate prompt and its score in one layer update.</summary>
/// <param name="Prompt">The candidate.</param>
/// <param name="Origin">Where it came from.</param>
/// <param name="Score">The score the selection maximised.</param>
public sealed record CandidateScore(string Prompt, CandidateOrigin Origin, double Score);
