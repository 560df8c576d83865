namespace DeepLanguageNetworks;

/// <summary>The outcome of one example in an evaluation.</summary>
/// <param name="Example">The example.</param>
/// <param name="Prediction">The network's output.</param>
/// <param name="IsCorrect">Whether the prediction matches the target after <see cref="AnswerNormalizer"/> normalisation.</param>
public sealed record ExampleResult(Example Example, string Prediction, bool IsCorrect)
{
    /// <summary>The hidden texts written for this example, in layer order.</summary>
    public IReadOnlyList<string> HiddenOutputs { get; init; } = [];
}
