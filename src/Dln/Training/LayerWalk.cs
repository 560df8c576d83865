namespace DeepLanguageNetworks;

/// <summary>
/// What the layer walk of a <see cref="VariationalStep"/> carries from layer to layer: the examples still in the
/// step, and per layer its target and its posterior once known. An example whose request overflows the context window
/// on the way is left out of the rest of the walk: the pass, the targets and the posteriors shrink together, keeping
/// their order.
/// </summary>
internal sealed class LayerWalk(BatchPass pass, int depth)
{
    public BatchPass Pass { get; private set; } = pass;

    public string[]?[] Targets { get; } = new string[]?[depth];

    public Posterior?[] Posteriors { get; } = new Posterior?[depth];

    public int Overflows { get; private set; }

    /// <summary>Keeps the examples at <paramref name="kept"/> (positions in the current pass).</summary>
    public void Keep(int[] kept)
    {
        if (kept.Length == Pass.Batch.Length)
        {
            return;
        }

        Overflows += Pass.Batch.Length - kept.Length;
        Pass = Pass.Keep(kept);
        for (var l = 0; l < depth; l++)
        {
            Targets[l] = Targets[l] is { } t ? [.. kept.Select(i => t[i])] : null;
            Posteriors[l] = Posteriors[l]?.Keep(kept);
        }
    }

    /// <summary>Leaves out the examples at <paramref name="dropped"/>.</summary>
    public void Drop(int[] dropped)
    {
        if (dropped.Length > 0)
        {
            Keep(CandidateEvaluation.Remaining(Pass.Batch.Length, dropped));
        }
    }
}
