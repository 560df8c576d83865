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

    /// <summary>
    /// The order candidate racing takes the examples in (see <see cref="LayerObjective.RacingOrder"/>): the examples the
    /// network answered wrongly and those it answered rightly in turn, a wrong one first, each group interleaved by the
    /// class of the target. Proposals are written to fix the errors shown, so the wrong examples tell candidates apart
    /// best; the right ones check that a candidate keeps what works.
    /// </summary>
    public int[] RacingOrder(OutputSpace outputSpace)
    {
        var byClass = LayerObjective.InterleaveByTarget(Batch.Select(e => outputSpace.FindClass(e.Target)?.Label ?? e.Target).ToArray());
        var wrong = byClass.Where(i => !Correct[i]).ToArray();
        var right = byClass.Where(i => Correct[i]).ToArray();
        var order = new List<int>(Batch.Length);
        for (var k = 0; k < Math.Max(wrong.Length, right.Length); k++)
        {
            if (k < wrong.Length)
            {
                order.Add(wrong[k]);
            }

            if (k < right.Length)
            {
                order.Add(right[k]);
            }
        }

        return [.. order];
    }

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
