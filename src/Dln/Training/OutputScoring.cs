namespace DeepLanguageNetworks;

/// <summary>How candidate prompts of the output layer are scored.</summary>
public enum OutputScoring
{
    /// <summary>Log-probabilities when the output layer's backend offers them (next-token top-k for classes, teacher forcing for free text), otherwise accuracy.</summary>
    Auto,

    /// <summary>Mean log-likelihood of the targets (the paper's default). Fails before the first call when the backend lacks the needed log-probabilities.</summary>
    LogProbabilities,

    /// <summary>Exact-match accuracy of the predictions. Works with any backend, including chat models without log-probabilities, for one-layer networks.</summary>
    Accuracy,
}
