namespace DeepLanguageNetworks;

/// <summary>The phases of work a training session opens for its observers (telemetry spans of the same names).</summary>
internal enum TrainingPhase
{
    /// <summary>One iteration: batch, forward pass and layer updates.</summary>
    Iteration,

    /// <summary>A dev validation.</summary>
    Validation,

    /// <summary>The forward pass of a batch.</summary>
    Forward,

    /// <summary>The posterior samples and weights of one hidden layer.</summary>
    Posterior,

    /// <summary>The backward model's proposals for one layer.</summary>
    Propose,

    /// <summary>The scoring of one layer's candidates.</summary>
    Score,
}
