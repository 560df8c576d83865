namespace DeepLanguageNetworks;

/// <summary>One batch item shown to the backward model when it proposes a new prompt.</summary>
/// <param name="Input">What the layer read.</param>
/// <param name="Output">What the layer wrote (the student's output).</param>
/// <param name="Target">What it should have written.</param>
/// <param name="IsCorrect">Whether the network's final answer was a success for this item.</param>
/// <param name="Feedback">The metric's feedback on a wrong answer, shown under it; null for none.</param>
internal sealed record ProposalExample(string Input, string Output, string Target, bool IsCorrect, string? Feedback = null);
