namespace DeepLanguageNetworks;

/// <summary>One step's batch and its forward pass under the current prompts (temperature 0).</summary>
/// <param name="Step">The 0-based step (iteration − 1): the exploration penalty decays with it.</param>
/// <param name="Batch">The examples.</param>
/// <param name="Forward">Per example, the hidden texts, the answer and every layer's input.</param>
/// <param name="Correct">Per example, whether the answer is a success (its metric score reaches <see cref="VariationalTrainerOptions.SuccessScore"/>).</param>
internal sealed record BatchPass(int Step, Example[] Batch, DlnResult[] Forward, bool[] Correct)
{
    /// <summary>Per example, the metric's score of the answer (1 or 0 as <see cref="Correct"/> says unless set).</summary>
    public double[] Scores { get; init; } = [.. Correct.Select(c => c ? 1.0 : 0.0)];

    /// <summary>Per example, the metric's feedback on the answer, or null.</summary>
    public string?[] Feedback { get; init; } = new string?[Batch.Length];

    public string[] Targets => Batch.Select(e => e.Target).ToArray();

    /// <summary>The pass of the examples at <paramref name="kept"/> only (in that order): what is left when others are dropped.</summary>
    public BatchPass Keep(IReadOnlyList<int> kept) => this with
    {
        Batch = [.. kept.Select(i => Batch[i])],
        Forward = [.. kept.Select(i => Forward[i])],
        Correct = [.. kept.Select(i => Correct[i])],
        Scores = [.. kept.Select(i => Scores[i])],
        Feedback = [.. kept.Select(i => Feedback[i])],
    };
}
