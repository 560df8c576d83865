namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>A backward meta-prompt as the scripted backward model reads it.</summary>
/// <param name="CurrentInstruction">The quoted current instruction, or null when the meta-prompt has none.</param>
/// <param name="Examples">The shown batch items, in the order shown.</param>
/// <param name="EditInstruction">The edit the meta-prompt asks for.</param>
internal sealed record MetaPromptCall(string? CurrentInstruction, IReadOnlyList<ShownExample> Examples, string EditInstruction);
