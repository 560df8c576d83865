namespace DeepLanguageNetworks;

/// <summary>The result of <see cref="ILanguageModel.ScoreContinuationAsync"/>.</summary>
/// <param name="Tokens">One entry per continuation token, in order: the token and its log-probability given everything before it.</param>
/// <param name="Usage">Tokens consumed by the call.</param>
public sealed record ContinuationResponse(IReadOnlyList<TokenLogProbability> Tokens, LanguageModelUsage Usage) : LanguageModelResponse(Usage)
{
    /// <summary>Sum of the token log-probabilities: the log-probability of the whole continuation.</summary>
    public double Sum => Tokens.Sum(t => t.LogProbability);
}
