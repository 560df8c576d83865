namespace DeepLanguageNetworks;

/// <summary>One proposal after <see cref="PromptProposer.Clean"/>.</summary>
/// <param name="Text">The cleaned prompt; empty when nothing was left.</param>
/// <param name="Clipped">Whether it was cut to the length limit.</param>
/// <param name="MarkersRemoved">Whether meta-prompt markup was removed.</param>
internal readonly record struct CleanedProposal(string Text, bool Clipped, bool MarkersRemoved);
