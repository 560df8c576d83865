namespace DeepLanguageNetworks;

/// <summary>Where a candidate prompt of a layer update came from.</summary>
public enum CandidateOrigin
{
    /// <summary>The prompt the layer had before the update (always candidate 0).</summary>
    Current,

    /// <summary>A prompt remembered from an earlier validation (<see cref="VariationalTrainerOptions.MemorySize"/>).</summary>
    Memory,

    /// <summary>A new prompt written by the backward model.</summary>
    Proposal,
}
