namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>A call on the hidden (reasoning) template.</summary>
/// <param name="Prompt">The hidden layer's prompt (may be empty).</param>
/// <param name="Input">What the layer reads, without the hint.</param>
/// <param name="Hint">The expected outcome shown by a hint posterior sample, or null for the plain template.</param>
/// <param name="WholeView">Whether the layer's template ends with the whole-view cue (<see cref="ContextParser.WholeViewTrigger"/>) rather than the step-by-step one.</param>
internal sealed record HiddenCall(string Prompt, string Input, string? Hint, bool WholeView = false);
