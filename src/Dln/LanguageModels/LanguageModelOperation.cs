namespace DeepLanguageNetworks;

/// <summary>The operations a <see cref="ILanguageModel"/> may offer.</summary>
public enum LanguageModelOperation
{
    /// <summary>Free text generation (<see cref="ILanguageModel.GenerateAsync"/>).</summary>
    Generation,

    /// <summary>Generation that also returns the log-probability of each sampled token (<see cref="GenerationRequest.IncludeLogProbabilities"/>).</summary>
    SampledTokenLogProbabilities,

    /// <summary>Top-k log-probabilities of the next token after a context (<see cref="ILanguageModel.GetNextTokenLogProbabilitiesAsync"/>); used for class scoring.</summary>
    NextTokenLogProbabilities,

    /// <summary>Teacher-forced log-probabilities of a given continuation (<see cref="ILanguageModel.ScoreContinuationAsync"/>); needed to train hidden layers.</summary>
    ContinuationLogProbabilities,
}
