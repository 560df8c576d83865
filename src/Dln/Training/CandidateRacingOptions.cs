namespace DeepLanguageNetworks;

/// <summary>
/// The schedule of candidate racing (successive halving), an option of <see cref="VariationalTrainerOptions"/>:
/// instead of scoring every candidate prompt on the whole batch, score all of them on a first slice of it, keep the
/// better part, score the survivors on a larger slice, and so on, until one candidate remains or the slice is the whole
/// batch. At every round the survivors are compared on exactly the same examples. Validated when set.
/// </summary>
/// <remarks>
/// <para>With the defaults and the paper's DLN-1 settings (20 candidates, batches of 20) the rounds score 20 candidates
/// on 4 examples, 10 (and the current prompt) on 8, 5 on 16 and 3 on 20: 172 example scorings instead of 400; fewer
/// with <see cref="DropMargin"/>, which drops candidates that are clearly behind.</para>
/// <para>Hidden layers race on their own schedule (<see cref="HiddenLayerFirstSliceFraction"/>,
/// <see cref="HiddenLayerKeepFraction"/>): a hidden layer's term of an example averages the candidate's likelihood of
/// every posterior sample of the example, so one example tells candidates apart better than one output-layer example
/// does, so a hidden layer may race more steeply. On the learnable simulated backend of the benchmarks
/// (<c>racing</c>), a first slice of 0.1 and a keep fraction of 0.2 for hidden layers, with a
/// <see cref="DropMargin"/> of 1.5, keep the test accuracy of DLN-1 and DLN-2 within a point of the faithful runs for
/// 0.48 of their calls (0.57 with the defaults): that schedule is <see cref="LowCost"/>. The defaults leave them off,
/// since the estimate (<see cref="VariationalTrainer.Estimate(Dln, IReadOnlyList{Example}, IReadOnlyList{Example})"/>)
/// does not yet model the candidates the margin drops: with <see cref="LowCost"/> its upper bound holds and its
/// expected value is high by what the drops save.</para>
/// <para>A slice takes the batch's examples in a fixed order: those the network answered wrongly and those it answered
/// rightly in turn (a wrong one first), each group interleaved by answer class, so that even a small first slice
/// holds the errors the proposals were written to fix and is balanced as far as the batch allows. Every mean of the objective (the weighted scores,
/// the trust region, the exploration penalty) is taken over the slice's examples. A candidate's score in
/// <see cref="LayerUpdate.CandidateScores"/> is its score on the examples of its last round
/// (<see cref="CandidateScore.ExamplesScored"/>). The rounds use no random number: a racing run is as deterministic,
/// and resumes as exactly, as any other.</para>
/// </remarks>
public sealed record CandidateRacingOptions
{
    private readonly double _firstSliceFraction = 0.2;
    private readonly double _keepFraction = 0.5;
    private readonly double _sliceGrowth = 2;
    private readonly double _hiddenLayerFirstSliceFraction = 0.2;
    private readonly double _hiddenLayerKeepFraction = 0.5;
    private readonly double? _dropMargin;

    /// <summary>
    /// The steeper schedule measured by the <c>racing</c> benchmark: the defaults for the output layer, a first slice of
    /// 0.1 and a keep fraction of 0.2 for hidden layers, and a <see cref="DropMargin"/> of 1.5. Over 10 seeds of DLN-1
    /// and DLN-2 on the learnable simulated backend it made 0.48 of the faithful runs' calls, within a point of their
    /// test accuracy (−0.3 points). Measure it on your own task before relying on it: the benchmark's backend is a
    /// simulation.
    /// </summary>
    public static CandidateRacingOptions LowCost { get; } = new()
    {
        HiddenLayerFirstSliceFraction = 0.1,
        HiddenLayerKeepFraction = 0.2,
        DropMargin = 1.5,
    };

    /// <summary>
    /// The share of the batch every candidate is scored on in the first round, rounded up to whole examples (at least
    /// one). Default 0.2: 4 examples of a batch of 20, 2 of a batch of 10. Must be above 0 and at most 1 (1 scores
    /// every candidate on the whole batch: no racing).
    /// </summary>
    public double FirstSliceFraction
    {
        get => _firstSliceFraction;
        init => _firstSliceFraction = OptionGuard.Share(value, nameof(FirstSliceFraction), oneAllowed: true, " of the batch");
    }

    /// <summary>
    /// The share of a round's candidates that goes on to the next round, rounded up (at least one). Default 0.5
    /// (halving). Must be above 0 and below 1.
    /// </summary>
    public double KeepFraction
    {
        get => _keepFraction;
        init => _keepFraction = OptionGuard.Share(value, nameof(KeepFraction), oneAllowed: false);
    }

    /// <summary>
    /// How much larger each round's slice is than the one before, rounded up (at least one more example; at most the
    /// batch). Default 2 (doubling). Must be above 1 and finite.
    /// </summary>
    public double SliceGrowth
    {
        get => _sliceGrowth;
        init => _sliceGrowth = value > 1 && double.IsFinite(value) ? value : throw OptionGuard.OutOfRange(nameof(SliceGrowth), value, "a finite factor above 1");
    }

    /// <summary>
    /// <see cref="FirstSliceFraction"/> for the candidates of a hidden layer (see the remarks). Default 0.2 (as
    /// <see cref="FirstSliceFraction"/>). Must be above 0 and at most 1.
    /// </summary>
    public double HiddenLayerFirstSliceFraction
    {
        get => _hiddenLayerFirstSliceFraction;
        init => _hiddenLayerFirstSliceFraction = OptionGuard.Share(value, nameof(HiddenLayerFirstSliceFraction), oneAllowed: true, " of the batch");
    }

    /// <summary>
    /// <see cref="KeepFraction"/> for the candidates of a hidden layer (see the remarks). Default 0.5 (as
    /// <see cref="KeepFraction"/>). Must be above 0 and below 1.
    /// </summary>
    public double HiddenLayerKeepFraction
    {
        get => _hiddenLayerKeepFraction;
        init => _hiddenLayerKeepFraction = OptionGuard.Share(value, nameof(HiddenLayerKeepFraction), oneAllowed: false);
    }

    /// <summary>
    /// Drops, after a round, every candidate that is clearly behind the round's leader even when the keep fraction
    /// would keep it (<see cref="IsClearlyBehind"/>): its mean lead over the candidate on the round's examples is above
    /// this many standard errors of the difference the whole batch would show. So a round keeps fewer candidates
    /// when one is clearly best, and a race ends early when the leader is clearly ahead of all (the current prompt stays
    /// with <see cref="KeepCurrentPrompt"/>). Not applied to an objective with a trust region
    /// (<see cref="VariationalTrainerOptions.TrustRegionFactor"/>): a candidate there pays its divergence from the current
    /// prompt on every example and gains only on those it fixes, so its lead on a few examples does not predict the
    /// rest. Default <see langword="null"/>: exactly the keep fraction (see the remarks for a measured value). Must be above 0 and finite.
    /// </summary>
    public double? DropMargin
    {
        get => _dropMargin;
        init => _dropMargin = value is null || (value > 0 && double.IsFinite(value.Value)) ? value : throw OptionGuard.OutOfRange(nameof(DropMargin), value ?? double.NaN, "a finite number of standard errors above 0, or null");
    }

    /// <summary>
    /// Keep the layer's current prompt in every round, so that a proposal replaces it only after beating it on the
    /// whole batch (or on the last slice when one challenger is left). Its scores cost no call when the run has a
    /// cache: the forward pass and the posterior weights asked for them already. Default true.
    /// </summary>
    public bool KeepCurrentPrompt { get; init; } = true;

    /// <summary>The size of the first slice of a batch of <paramref name="batchSize"/> examples.</summary>
    /// <param name="batchSize">The batch size.</param>
    /// <returns>Between 1 and <paramref name="batchSize"/>.</returns>
    public int FirstSlice(int batchSize) => Math.Clamp((int)Math.Ceiling((batchSize * FirstSliceFraction) - 1e-9), 1, Math.Max(1, batchSize));

    /// <summary>The size of the first slice of a batch of <paramref name="batchSize"/> examples, for a hidden layer's candidates or the output layer's.</summary>
    /// <param name="batchSize">The batch size.</param>
    /// <param name="hiddenLayer">Whether the candidates are a hidden layer's (<see cref="HiddenLayerFirstSliceFraction"/>).</param>
    /// <returns>Between 1 and <paramref name="batchSize"/>.</returns>
    public int FirstSlice(int batchSize, bool hiddenLayer) => hiddenLayer
        ? Math.Clamp((int)Math.Ceiling((batchSize * HiddenLayerFirstSliceFraction) - 1e-9), 1, Math.Max(1, batchSize))
        : FirstSlice(batchSize);

    /// <summary>The slice after one of <paramref name="slice"/> examples in a batch of <paramref name="batchSize"/>.</summary>
    /// <param name="slice">The current slice size.</param>
    /// <param name="batchSize">The batch size.</param>
    /// <returns>At least one more example, at most <paramref name="batchSize"/>.</returns>
    public int NextSlice(int slice, int batchSize) => Math.Min(batchSize, Math.Max(slice + 1, (int)Math.Ceiling((slice * SliceGrowth) - 1e-9)));

    /// <summary>How many of <paramref name="candidates"/> candidates go on to the next round.</summary>
    /// <param name="candidates">The candidates of the round.</param>
    /// <returns>At least one.</returns>
    public int Survivors(int candidates) => Math.Max(1, (int)Math.Ceiling((candidates * KeepFraction) - 1e-9));

    /// <summary>How many of <paramref name="candidates"/> candidates of a hidden layer or of the output layer go on to the next round, before <see cref="DropMargin"/>.</summary>
    /// <param name="candidates">The candidates of the round.</param>
    /// <param name="hiddenLayer">Whether the candidates are a hidden layer's (<see cref="HiddenLayerKeepFraction"/>).</param>
    /// <returns>At least one.</returns>
    public int Survivors(int candidates, bool hiddenLayer) => hiddenLayer
        ? Math.Max(1, (int)Math.Ceiling((candidates * HiddenLayerKeepFraction) - 1e-9))
        : Survivors(candidates);

    /// <summary>
    /// Whether a candidate is clearly behind the round's leader (<see cref="DropMargin"/>): with d_i the leader's
    /// per-example term minus the candidate's on the n examples of the round (of a batch of B), whether
    /// mean(d) &gt; margin · sd(d) · √((B − n) / (B · n)), where √((B − n) / (B · n)) · sd is the standard error of the
    /// difference of the two candidates' scores on the whole batch predicted from the examples seen. False without a
    /// margin, with fewer than 2 examples, or on the whole batch.
    /// </summary>
    /// <param name="leads">d_i, per example of the round.</param>
    /// <param name="batchSize">B.</param>
    /// <returns>Whether the candidate is dropped.</returns>
    public bool IsClearlyBehind(IReadOnlyList<double> leads, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(leads);
        var n = leads.Count;
        if (DropMargin is not { } margin || n < 2 || n >= batchSize)
        {
            return false;
        }

        var mean = leads.Average();
        var sd = Math.Sqrt(leads.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        return mean > margin * sd * Math.Sqrt((batchSize - n) / ((double)batchSize * n));
    }
}
