namespace DeepLanguageNetworks;

/// <summary>A candidate prompt and its score in one layer update.</summary>
/// <param name="Prompt">The candidate.</param>
/// <param name="Origin">Where it came from.</param>
/// <param name="Score">The score the selection maximised, on <see cref="ExamplesScored"/> examples of the batch.</param>
public sealed record CandidateScore(string Prompt, CandidateOrigin Origin, double Score)
{
    /// <summary>
    /// With <see cref="VariationalTrainerOptions.CandidateRacing"/>, the number of batch examples <see cref="Score"/>
    /// is the mean over when the candidate left the race before the whole batch (the slice of its last round);
    /// <see langword="null"/> when the score is over the whole batch. Examples of the slice that did not fit the
    /// context window under a candidate of that round are left out of the mean (see <see cref="LayerUpdate.ContextOverflows"/>).
    /// </summary>
    public int? ExamplesScored { get; init; }
}
