namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>A call on the output layer's template: the learned prompt and the text the layer reads.</summary>
/// <param name="Prompt">The output layer's prompt (may be empty).</param>
/// <param name="Input">The layer's input: the example's input, or the residual input and hidden text.</param>
internal sealed record OutputCall(string Prompt, string Input);
