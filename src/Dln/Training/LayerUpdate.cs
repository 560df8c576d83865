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
}
