namespace DeepLanguageNetworks;

/// <summary>A remembered set of prompts (one per layer) and the dev accuracy it reached.</summary>
/// <param name="Prompts">One prompt per layer.</param>
/// <param name="DevAccuracy">Dev accuracy in [0, 1].</param>
internal sealed record MemoryEntry(IReadOnlyList<string> Prompts, double DevAccuracy);
