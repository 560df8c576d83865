namespace DeepLanguageNetworks;

/// <summary>How candidate prompts of the output layer are scored.</summary>
public enum OutputScoring
{
    /// <summary>Log-probabilities when the output layer's backend offers them (next-token top-k for classes, teacher forcing for free text), otherwise accuracy; the same rule for every depth.</summary>
    Auto,

    /// <summary>Mean log-likelihood of the targets (the paper's default). Fails before the first call when the backend lacks the needed log-probabilities.</summary>
    LogProbabilities,

    /// <summary>
    /// Exact-match accuracy of the predictions (0 or 1 per example, also as the likelihood that weighs posterior samples).
    /// Works with an output backend without log-probabilities, such as a chat model; hidden layers still need teacher
    /// forcing.
    /// </summary>
    Accuracy,
}
