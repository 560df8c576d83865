namespace DeepLanguageNetworks;

/// <summary>One step's batch and its forward pass under the current prompts (temperature 0).</summary>
/// <param name="Step">The 0-based step (iteration − 1): the exploration penalty decays with it.</param>
/// <param name="Batch">The examples.</param>
/// <param name="Forward">Per example, the hidden texts, the answer and every layer's input.</param>
/// <param name="Correct">Per example, whether the answer is right.</param>
internal sealed record BatchPass(int Step, Example[] Batch, DlnResult[] Forward, bool[] Correct)
{
    public string[] Targets => Batch.Select(e => e.Target).ToArray();

    /// <summary>The order candidate racing takes the examples in: interleaved by the class of the target (see <see cref="LayerObjective.RacingOrder"/>).</summary>
    public int[] RacingOrder(OutputSpace outputSpace) =>
        LayerObjective.InterleaveByTarget(Batch.Select(e => outputSpace.FindClass(e.Target)?.Label ?? e.Target).ToArray());
}
