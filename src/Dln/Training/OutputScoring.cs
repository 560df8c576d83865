namespace DeepLanguageNetworks;

/// <summary>How candidate prompts of the output layer are scored.</summary>
public enum OutputScoring
{
    /// <summary>Log-probabilities when the output layer's backend offers them (next-token top-k for classes, teacher forcing for free text), otherwise the metric (<see cref="Accuracy"/>); the same rule for every depth.</summary>
    Auto,

    /// <summary>Mean log-likelihood of the targets (the paper's default). Fails before the first call when the backend lacks the needed log-probabilities.</summary>
    LogProbabilities,

    /// <summary>
    /// The run's metric (<see cref="VariationalTrainerOptions.Metric"/>) of the answers the output layer generates: exact-match
    /// accuracy by default (0 or 1 per example), partial credit with a metric that gives it; also the likelihood that
    /// weighs posterior samples. During training the output layer then answers by generation (its text matched to the
    /// classes) in the forward pass, the scoring and the validations, so its backend is asked for no log-probabilities
    /// even when it offers them: works with an output backend without log-probabilities, such as a chat model or a
    /// Microsoft.Extensions.AI pipeline whose cache drops them. Hidden layers still need teacher forcing.
    /// </summary>
    Accuracy,
}
