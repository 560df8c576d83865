namespace DeepLanguageNetworks;

/// <summary>
/// What happens to an example whose input cannot fit the model's context window, found before the first call where the
/// layer's model reports its <see cref="LanguageModelCapabilities.ContextLength"/> and counts tokens
/// (<see cref="ILanguageModelTokenizer"/>). Set for training with <see cref="TrainingRunOptions.OverlongInputs"/> and
/// for an evaluation with <see cref="Dln.EvaluateAsync(IEnumerable{Example}, IReadOnlyList{string}?, OverlongInputPolicy, int, CancellationToken)"/>.
/// Every example it skips or cuts is reported (<see cref="OverlongInput"/>).
/// </summary>
public enum OverlongInputPolicy
{
    /// <summary>Leave the example out, make no call for it, and report it. The default.</summary>
    Skip,

    /// <summary>
    /// Keep the longest beginning of the input that fits (never cutting a surrogate pair), and report it. An example
    /// that does not fit even with an empty input (the prompt alone is too long) is skipped.
    /// </summary>
    Truncate,

    /// <summary>Refuse the data before the first call with an <see cref="ArgumentException"/> that names every such example.</summary>
    Fail,
}
