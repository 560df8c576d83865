namespace DeepLanguageNetworks;

/// <summary>How one layer's prompt was chosen in one iteration.</summary>
/// <param name="Layer">0-based layer index.</param>
/// <param name="SelectedPrompt">The prompt kept.</param>
/// <param name="SelectedOrigin">Where it came from.</param>
/// <param name="SelectedScore">Its score (weighted log-likelihood or accuracy, minus penalties).</param>
/// <param name="CurrentScore">The score of the prompt the layer had before the update.</param>
/// <param name="Candidates">Number of distinct candidates scored.</param>
/// <param name="Proposals">What happened to the backward model's proposals.</param>
public sealed record LayerUpdate(int Layer, string SelectedPrompt, CandidateOrigin SelectedOrigin, double SelectedScore, double CurrentScore, int Candidates, ProposalStatistics Proposals)
{
    /// <summary>Every candidate and its score, in scoring order.</summary>
    public IReadOnlyList<CandidateScore> CandidateScores { get; init; } = [];

    /// <summary>The 0-based position of the kept prompt in <see cref="CandidateScores"/> (0 is the current prompt).</summary>
    public int SelectedIndex { get; init; }

    /// <summary>
    /// Batch examples left out of this layer's candidate scoring because a request for them did not fit the context
    /// window under at least one candidate; every candidate is scored over the same remaining examples. When no example
    /// remains, the candidates that overflowed score NaN and the others are scored over the whole batch. With
    /// <see cref="VariationalTrainerOptions.CandidateRacing"/> the rule holds per round, on the round's slice, and this
    /// counts the examples left out of the round that gave the selected prompt its score.
    /// </summary>
    public int ContextOverflows { get; init; }
}
