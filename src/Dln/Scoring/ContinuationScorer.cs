namespace DeepLanguageNetworks;

/// <summary>
/// Scores a continuation from its teacher-forced token log-probabilities: the mean per-token log-probability after
/// skipping a burn-in of the first tokens (the first tokens of a text are hard to predict whatever the prompt).
/// </summary>
internal static class ContinuationScorer
{
    /// <summary>The paper's burn-in ratio: the first 5% of the tokens are not scored (none for texts under 20 tokens).</summary>
    public const double DefaultBurnInRatio = 0.05;

    /// <summary>Scores token log-probabilities.</summary>
    /// <param name="tokens">One log-probability per continuation token.</param>
    /// <param name="burnInRatio">Fraction of leading tokens to skip, in [0, 1); the count is rounded down.</param>
    /// <returns>The score; for an empty continuation, zeros.</returns>
    public static ContinuationScore Score(IReadOnlyList<TokenLogProbability> tokens, double burnInRatio = DefaultBurnInRatio)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (!(burnInRatio >= 0 && burnInRatio < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(burnInRatio), burnInRatio, "The burn-in ratio must be in [0, 1).");
        }

        if (tokens.Count == 0)
        {
            return new ContinuationScore(0, 0, 0, 0);
        }

        var skip = (int)Math.Floor(burnInRatio * tokens.Count);
        var sum = 0.0;
        for (var i = skip; i < tokens.Count; i++)
        {
            sum += tokens[i].LogProbability;
        }

        var scored = tokens.Count - skip;
        return new ContinuationScore(sum, sum / scored, tokens.Count, scored);
    }
}
