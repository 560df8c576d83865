namespace DeepLanguageNetworks;

/// <summary>
/// The library's default wording of the forward templates. Templates are hyper-parameters: pass your own
/// <see cref="PromptTemplate"/> to a layer to change them; the learnable part is the layer's prompt.
/// </summary>
public static class LayerTemplates
{
    /// <summary>Placeholder for the learnable prompt.</summary>
    public const string PromptPlaceholder = "prompt";

    /// <summary>Placeholder for the layer's input text.</summary>
    public const string InputPlaceholder = "input";

    /// <summary>Placeholder for the previous layer's output in the residual template.</summary>
    public const string HiddenPlaceholder = "hidden";

    /// <summary>
    /// Output layer: the instruction, a blank line, the input, a blank line and an answer cue; the answer is expected on
    /// the next line (class scoring appends a newline to the rendered text).
    /// </summary>
    public static PromptTemplate Output { get; } = new("{prompt}\n\n{input}\n\nAnswer:", [PromptPlaceholder, InputPlaceholder]);

    /// <summary>
    /// Hidden (reasoning) layer: the input, a blank line, then the learnable prompt as a prefix to a fixed sentence that
    /// asks for step-by-step reasoning. An empty prompt gives plain zero-shot chain of thought.
    /// </summary>
    public static PromptTemplate Hidden { get; } = new("{input}\n\n{prompt} Let us reason about it one step at a time.", [PromptPlaceholder, InputPlaceholder]);

    /// <summary>Residual wiring: the original input, a header line, then the previous layer's output.</summary>
    public static PromptTemplate Residual { get; } = new("{input}\nMy reasoning about it:\n{hidden}", [InputPlaceholder, HiddenPlaceholder]);

    /// <summary>A plain instruction-then-input template with no cue, for free-text output layers.</summary>
    public static PromptTemplate InstructionThenInput { get; } = new("{prompt}\n\n{input}", [PromptPlaceholder, InputPlaceholder]);
}
