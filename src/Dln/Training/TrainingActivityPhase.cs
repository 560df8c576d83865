namespace DeepLanguageNetworks;

/// <summary>The phases of training work that <see cref="TrainingActivity"/> reports, in the order an iteration runs them.</summary>
/// <remarks>
/// <para>An iteration runs <see cref="Forward"/>, then for each layer being trained, from the output layer down: the
/// <see cref="Posterior"/> of the hidden text the layer reads (networks with hidden layers), the layer's
/// <see cref="Proposals"/> and the <see cref="Scoring"/> of its candidates; then, when one is scheduled, a
/// <see cref="Validation"/>. An update skipped because the whole batch was right ends the iteration after
/// <see cref="Forward"/>.</para>
/// <para>Some phases overlap, so that no call slot waits: the output layer's proposals begin before the posterior of
/// the text it reads and run while it is sampled, and a layer's scoring begins while its proposals still arrive (each
/// candidate is scored as soon as its proposal is in). Every request belongs to the phase that started it.</para>
/// </remarks>
public enum TrainingActivityPhase
{
    /// <summary>The network answers the batch with its current prompts.</summary>
    Forward,

    /// <summary>The backward model samples hidden texts for one hidden layer, and the samples are weighed.</summary>
    Posterior,

    /// <summary>The backward model proposes new prompts for one layer.</summary>
    Proposals,

    /// <summary>The candidate prompts of one layer are scored.</summary>
    Scoring,

    /// <summary>The prompts are measured on the dev examples (iteration 0: the initial prompts).</summary>
    Validation,
}
