namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>One batch item as the backward model reads it from a meta-prompt.</summary>
/// <param name="Input">The quoted input.</param>
/// <param name="StudentOutput">The student's output (only shown for items it got wrong).</param>
/// <param name="CorrectOutput">The correct output.</param>
/// <param name="WasCorrect">Whether it appeared under the "got right" heading.</param>
/// <param name="Feedback">The metric's feedback shown under a wrong output, if any.</param>
internal sealed record ShownExample(string Input, string? StudentOutput, string CorrectOutput, bool WasCorrect, string? Feedback = null);
