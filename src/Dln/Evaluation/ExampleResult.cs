namespace DeepLanguageNetworks;

/// <summary>The outcome of one example in an evaluation.</summary>
/// <param name="Example">The example.</param>
/// <param name="Prediction">The network's output.</param>
/// <param name="IsCorrect">Whether the prediction matches the target after <see cref="AnswerNormalizer"/> normalisation.</param>
public sealed record ExampleResult(Example Example, string Prediction, bool IsCorrect)
{
    /// <summary>The hidden texts written for this example, in layer order.</summary>
    public IReadOnlyList<string> HiddenOutputs { get; init; } = [];

    /// <summary>
    /// Whether the example was left out because its input did not fit the context window (checked before the call
    /// where the model counts tokens, or reported by the backend as <see cref="LanguageModelErrorKind.ContextLengthExceeded"/>).
    /// A skipped example has no prediction and counts in neither <see cref="EvaluationResult.Correct"/> nor the
    /// denominator of <see cref="EvaluationResult.Accuracy"/>.
    /// </summary>
    public bool Skipped { get; init; }
}
