namespace DeepLanguageNetworks;

/// <summary>The outcome of one example in an evaluation.</summary>
/// <param name="Example">The example.</param>
/// <param name="Prediction">The network's output.</param>
/// <param name="IsCorrect">Whether the prediction is a full success: a metric score of 1 (with the default exact match, whether it matches the target).</param>
public sealed record ExampleResult(Example Example, string Prediction, bool IsCorrect)
{
    /// <summary>The metric's score of the prediction, in [0, 1]; 1 or 0 as <see cref="IsCorrect"/> says unless set.</summary>
    public double Score { get; init; } = IsCorrect ? 1 : 0;

    /// <summary>The metric's feedback on the prediction, if it gave any.</summary>
    public string? Feedback { get; init; }

    /// <summary>The hidden texts written for this example, in layer order.</summary>
    public IReadOnlyList<string> HiddenOutputs { get; init; } = [];

    /// <summary>
    /// Whether the example was left out because its input did not fit the context window (checked before the call
    /// where the model counts tokens, or reported by the backend as <see cref="LanguageModelErrorKind.ContextLengthExceeded"/>).
    /// A skipped example has no prediction and counts in neither <see cref="EvaluationResult.Correct"/> nor the
    /// denominator of <see cref="EvaluationResult.Accuracy"/> and <see cref="EvaluationResult.MeanScore"/>.
    /// </summary>
    public bool Skipped { get; init; }
}
