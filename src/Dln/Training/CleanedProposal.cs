namespace DeepLanguageNetworks;

/// <summary>One proposal after <see cref="MetaPrompt.Clean"/>.</summary>
/// <param name="Text">The cleaned prompt; empty when nothing was left or the meta-prompt never fitted.</param>
/// <param name="Clipped">Whether it was cut to the length limit.</param>
/// <param name="MarkersRemoved">Whether meta-prompt markup was removed.</param>
internal readonly record struct CleanedProposal(string Text, bool Clipped, bool MarkersRemoved)
{
    /// <summary>Shown examples taken out of the meta-prompt before it fitted the backward model's context window.</summary>
    public int ShownExamplesDropped { get; init; }

    /// <summary>Whether the meta-prompt did not fit even with a single shown example (no proposal was made).</summary>
    public bool Overflowed { get; init; }
}
