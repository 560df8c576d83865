using System.Globalization;

namespace DeepLanguageNetworks;

/// <summary>
/// An example whose input did not fit the context window of a layer's model when it was checked before the first call:
/// where it came from, how many tokens the layer's request needed, and what was done about it
/// (<see cref="OverlongInputPolicy"/>).
/// </summary>
/// <param name="Split">The set it belongs to: <c>train</c>, <c>dev</c> or <c>test</c> (an evaluation).</param>
/// <param name="Index">Its 0-based position in the list that was given.</param>
/// <param name="Source">Where it was read from (file and line), when the loader said (<see cref="Example.Source"/>).</param>
/// <param name="Layer">The first layer whose request did not fit.</param>
/// <param name="Tokens">Tokens that request needs: the rendered prompt and input, plus the room for the layer's output.</param>
/// <param name="ContextLength">The context window of the layer's model, in tokens.</param>
public sealed record OverlongInput(string Split, int Index, string? Source, int Layer, int Tokens, int ContextLength)
{
    /// <summary>Whether the input was cut to fit and the example kept (<see cref="OverlongInputPolicy.Truncate"/>); otherwise it was skipped.</summary>
    public bool Truncated { get; init; }

    /// <summary>For example <c>train example 3 (data.jsonl:4): layer 0 needs 6548 tokens, more than the context window of 2048; skipped</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Split} example {Index}{(Source is null ? "" : $" ({Source})")}: layer {Layer} needs {Tokens} tokens, more than the context window of {ContextLength}; {(Truncated ? "truncated to fit" : "skipped")}");
}
