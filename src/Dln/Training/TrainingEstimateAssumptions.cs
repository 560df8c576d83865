namespace DeepLanguageNetworks;

/// <summary>
/// What <see cref="VariationalTrainer.Estimate(Dln, IReadOnlyList{Example}, IReadOnlyList{Example}, TrainingEstimateAssumptions)"/>
/// assumes of a run's behaviour, which no dry run can know: how many proposals are new, how often an update is
/// skipped, how often a validation measures prompts already measured (it is then free: after updates that kept their
/// prompts, or a backtrack), how many answers are wrong, how many remembered prompts join the candidates, and how much
/// of the dev set a validation that may stop early uses.
/// <see cref="Default"/> describes a backend that never repeats itself; <see cref="FromResult"/> measures them on a
/// finished run (a short pilot run, or a run of another seed) so that the estimate of the next run matches it. Each
/// value is checked when set.
/// </summary>
public sealed record TrainingEstimateAssumptions
{
    private readonly double _distinctProposalFraction = 1;
    private readonly double _skippedUpdateFraction;
    private readonly double _repeatedValidationFraction;
    private readonly double _wrongAnswerFraction = 0.5;
    private readonly double? _memoryCandidates;
    private readonly double _validationItemFraction = 1;
    private readonly double? _forwardCacheHitFraction;
    private readonly double? _scoringCacheHitFraction;
    private readonly double? _evaluationCacheHitFraction;

    /// <summary>Every proposal new, no update skipped, no validation repeated, half the answers wrong, the memory's usual share, full validations.</summary>
    public static TrainingEstimateAssumptions Default { get; } = new();

    /// <summary>The share of the proposals asked for that become new candidates (not empty, not a repeat). Default 1.</summary>
    public double DistinctProposalFraction { get => _distinctProposalFraction; init => _distinctProposalFraction = Share(value, nameof(DistinctProposalFraction)); }

    /// <summary>The share of iterations whose update is skipped (every answer of the batch right, under the skip rule): they make only their forward pass. Default 0.</summary>
    public double SkippedUpdateFraction { get => _skippedUpdateFraction; init => _skippedUpdateFraction = Share(value, nameof(SkippedUpdateFraction)); }

    /// <summary>
    /// The share of the validations after training starts that measure prompts already measured (the iterations since
    /// the last one kept every prompt or were skipped, or a backtrack restored measured prompts): they cost no call.
    /// Default 0.
    /// </summary>
    public double RepeatedValidationFraction { get => _repeatedValidationFraction; init => _repeatedValidationFraction = Share(value, nameof(RepeatedValidationFraction)); }

    /// <summary>The share of batch answers that are wrong: a hidden layer's exploration penalty scores the hidden texts behind them. Default 0.5.</summary>
    public double WrongAnswerFraction { get => _wrongAnswerFraction; init => _wrongAnswerFraction = Share(value, nameof(WrongAnswerFraction)); }

    /// <summary>
    /// Remembered prompts per layer update that join the candidates (they differ from the current prompt), on
    /// average over the run; <see langword="null"/> (default): <see cref="VariationalTrainerOptions.MemorySize"/> − 1
    /// from the first validation after training starts on. At least 0.
    /// </summary>
    public double? MemoryCandidates
    {
        get => _memoryCandidates;
        init => _memoryCandidates = value is null || (value >= 0 && double.IsFinite(value.Value))
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MemoryCandidates), value, "MemoryCandidates must be a finite number of at least 0, or null.");
    }

    /// <summary>
    /// With <see cref="VariationalTrainerOptions.StopValidationEarly"/>, the share of the dev set a validation after
    /// training started evaluates, on average (the initial one evaluates all of it). Default 1.
    /// </summary>
    public double ValidationItemFraction { get => _validationItemFraction; init => _validationItemFraction = Share(value, nameof(ValidationItemFraction)); }

    /// <summary>
    /// The share of forward-pass requests the cache answers (batches that repeat examples under unchanged prompts);
    /// <see langword="null"/> (default): none.
    /// </summary>
    public double? ForwardCacheHitFraction { get => _forwardCacheHitFraction; init => _forwardCacheHitFraction = ShareOrNull(value, nameof(ForwardCacheHitFraction)); }

    /// <summary>
    /// The share of scoring requests the cache answers; <see langword="null"/> (default): the current prompt's scores,
    /// which the trainer asks twice by construction, and nothing else. A measured share also counts repeated samples
    /// and candidates scored on examples they met before.
    /// </summary>
    public double? ScoringCacheHitFraction { get => _scoringCacheHitFraction; init => _scoringCacheHitFraction = ShareOrNull(value, nameof(ScoringCacheHitFraction)); }

    /// <summary>
    /// The share of the requests of validations (that do make calls) the cache answers; <see langword="null"/> (default): none.
    /// </summary>
    public double? EvaluationCacheHitFraction { get => _evaluationCacheHitFraction; init => _evaluationCacheHitFraction = ShareOrNull(value, nameof(EvaluationCacheHitFraction)); }

    /// <summary>
    /// The behaviour of a finished run: its share of new proposals, of skipped updates, of repeated validations and of
    /// wrong answers, its remembered candidates per update, (with validations that stop early) its share of dev
    /// items per validation that made calls, and the share of its forward, scoring and validation requests its cache
    /// answered. Measure a pilot with the run settings (cache, decorators) of the run to estimate.
    /// </summary>
    /// <param name="result">The run (a pilot run with the same settings, or another seed of the same task).</param>
    /// <param name="devItems">The size of its dev set, to measure the share of dev items per validation; null leaves <see cref="ValidationItemFraction"/> at 1.</param>
    /// <returns>The assumptions that describe it.</returns>
    public static TrainingEstimateAssumptions FromResult(TrainingResult result, int? devItems = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var iterations = result.History.Where(h => h.Iteration > 0 && h.Error is null).ToArray();
        var updated = iterations.Where(h => !h.Skipped).ToArray();
        var updates = updated.SelectMany(h => h.Updates).ToArray();
        var requested = updates.Sum(u => u.Proposals.Requested);
        var proposals = updates.Sum(u => u.CandidateScores.Count(c => c.Origin == CandidateOrigin.Proposal));

        // A validation of prompts measured before (by an earlier validation) made no call.
        var measured = new HashSet<string>(StringComparer.Ordinal);
        int later = 0, repeated = 0;
        var items = new List<double>();
        foreach (var h in result.History.Where(h => h.DevAccuracy is not null || h.DevItemsEvaluated is not null))
        {
            var key = string.Join("\u241E", h.Prompts);
            var known = !measured.Add(key);
            if (h.Iteration == 0)
            {
                continue;
            }

            later++;
            if (known)
            {
                repeated++;
            }
            else if (devItems is > 0)
            {
                items.Add(Math.Min(1.0, (h.DevItemsEvaluated ?? devItems.Value) / (double)devItems.Value));
            }
        }

        return new TrainingEstimateAssumptions
        {
            DistinctProposalFraction = requested > 0 ? (double)proposals / requested : 1,
            SkippedUpdateFraction = iterations.Length > 0 ? (double)(iterations.Length - updated.Length) / iterations.Length : 0,
            RepeatedValidationFraction = later > 0 ? (double)repeated / later : 0,
            WrongAnswerFraction = iterations.Length > 0 ? 1 - iterations.Average(h => h.BatchAccuracy ?? 0) : 0.5,
            MemoryCandidates = updates.Length > 0 ? (double)updates.Sum(u => u.CandidateScores.Count(c => c.Origin == CandidateOrigin.Memory)) / updates.Length : null,
            ValidationItemFraction = items.Count > 0 ? items.Average() : 1,
            ForwardCacheHitFraction = result.Usage.For(CallRole.Forward).CacheHitRate,
            ScoringCacheHitFraction = result.Usage.For(CallRole.Scoring).CacheHitRate,
            EvaluationCacheHitFraction = result.Usage.For(CallRole.Evaluation).CacheHitRate,
        };
    }

    private static double? ShareOrNull(double? value, string name) => value is null ? null : Share(value.Value, name);

    private static double Share(double value, string name) =>
        value >= 0 && value <= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a share between 0 and 1.");
}
