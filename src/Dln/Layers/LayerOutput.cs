namespace DeepLanguageNetworks;

/// <summary>What one layer produced for one input.</summary>
/// <param name="Text">The output text: a hidden text, a free-text answer, or the predicted class's spelling.</param>
/// <param name="Usage">Tokens consumed.</param>
public sealed record LayerOutput(string Text, LanguageModelUsage Usage)
{
    /// <summary>The class distribution of a classification layer scored by log-probabilities; otherwise <see langword="null"/>.</summary>
    public ClassDistribution? Distribution { get; init; }

    /// <summary>The predicted class of a classification layer, or <see langword="null"/> for free text or an answer outside the classes.</summary>
    public OutputClass? PredictedClass { get; init; }

    /// <summary>Why generation ended (free text); <see cref="FinishReason.Length"/> flags a truncated hidden text.</summary>
    public FinishReason FinishReason { get; init; } = FinishReason.Stop;
}
