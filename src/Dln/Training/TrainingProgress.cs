using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>A report after each training iteration (and after the initial validation, as iteration 0 with no update).</summary>
public sealed record TrainingProgress
{
    /// <summary>1-based iteration number; 0 for the report of the initial validation.</summary>
    public required int Iteration { get; init; }

    /// <summary>Total iterations of the run.</summary>
    public required int TotalIterations { get; init; }

    /// <summary>
    /// The mean metric of the network's answers on the iteration's batch before the update (the accuracy with the
    /// default exact match); null for the initial report. Also <see cref="BatchScore"/>.
    /// </summary>
    public double? BatchAccuracy { get; init; }

    /// <summary>The batch's mean metric: the same number as <see cref="BatchAccuracy"/>, named for any metric.</summary>
    [JsonIgnore]
    public double? BatchScore => BatchAccuracy;

    /// <summary>Mean negative log-likelihood of the targets on the batch before the update (null without log-probabilities).</summary>
    public double? TrainLoss { get; init; }

    /// <summary>The ELBO estimate of the update: the sum of the selected scores of all updated layers (null when skipped).</summary>
    public double? Elbo { get; init; }

    /// <summary>Mean normalised entropy of the posterior weights (1 = uniform), for networks with hidden layers.</summary>
    public double? PosteriorEntropy { get; init; }

    /// <summary>Whether the update was skipped (every batch item correct, or the iteration failed).</summary>
    public bool Skipped { get; init; }

    /// <summary>The prompts after the iteration, first layer to last.</summary>
    public required IReadOnlyList<string> Prompts { get; init; }

    /// <summary>Per updated layer: how its prompt was chosen.</summary>
    public IReadOnlyList<LayerUpdate> Updates { get; init; } = [];

    /// <summary>
    /// The mean metric on dev measured at this iteration, if any (<see cref="VariationalTrainerOptions.Metric"/>: the
    /// accuracy with the default exact match). Also <see cref="DevScore"/>.
    /// </summary>
    public double? DevAccuracy { get; init; }

    /// <summary>
    /// When the validation stopped before the end of the dev set (<see cref="VariationalTrainerOptions.StopValidationEarly"/>:
    /// the prompts could no longer beat the best dev score), the number of dev items it evaluated, those that did
    /// not fit the context window included (<see cref="DevContextOverflows"/>); <see cref="DevAccuracy"/> is then the
    /// mean metric of the ones that fitted (at most the best), not the whole dev set's.
    /// <see langword="null"/> when the validation measured the whole dev set, or when there was none.
    /// </summary>
    public int? DevItemsEvaluated { get; init; }

    /// <summary>Best dev score so far. Also <see cref="BestDevScore"/>.</summary>
    public double? BestDevAccuracy { get; init; }

    /// <summary>The mean metric on dev: the same number as <see cref="DevAccuracy"/>, named for any metric.</summary>
    [JsonIgnore]
    public double? DevScore => DevAccuracy;

    /// <summary>The best mean metric on dev so far: the same number as <see cref="BestDevAccuracy"/>.</summary>
    [JsonIgnore]
    public double? BestDevScore => BestDevAccuracy;

    /// <summary>Whether the best prompts were restored after this validation (backtracking).</summary>
    public bool Backtracked { get; init; }

    /// <summary>Backend calls made so far by the run (cache hits excluded).</summary>
    public long Calls { get; init; }

    /// <summary>Tokens consumed so far by the run (cache hits excluded).</summary>
    public long Tokens { get; init; }

    /// <summary>Hidden texts of the batch that hit the token limit (possibly truncated).</summary>
    public int TruncatedHiddenTexts { get; init; }

    /// <summary>Hidden texts of the batch that were empty.</summary>
    public int EmptyHiddenTexts { get; init; }

    /// <summary>Batch answers outside the class set (counted as wrong).</summary>
    public int AnswersOutsideClasses { get; init; }

    /// <summary>
    /// Examples this iteration left out because a request for them did not fit the model's context window (a
    /// <see cref="LanguageModelException"/> of kind <see cref="LanguageModelErrorKind.ContextLengthExceeded"/>, from any
    /// backend): from the forward pass, the posterior samples, or the scoring of a layer's candidates (an example that
    /// overflows under one candidate is left out for every candidate, so that their scores stay comparable; see
    /// <see cref="LayerUpdate.ContextOverflows"/>). Each costs its example only: the iteration goes on with the others
    /// and the error budget is not spent. A meta-prompt that overflows is counted in <see cref="LayerUpdate.Proposals"/>.
    /// </summary>
    public int ContextOverflows { get; init; }

    /// <summary>
    /// Dev examples the validation of this report left out because they did not fit the context window (checked before
    /// the call where the model counts tokens, or reported by the backend); <see cref="DevAccuracy"/> is the accuracy
    /// over the remaining dev examples. 0 when the accuracy of these prompts was known already and no call was made.
    /// </summary>
    public int DevContextOverflows { get; init; }

    /// <summary>
    /// A description of the error when the iteration failed and was skipped, or when the validation of its prompts
    /// failed (then prefixed with "Validation failed:"); each counts against <see cref="TrainingRunOptions.MaxFailedIterations"/>.
    /// </summary>
    public string? Error { get; init; }
}
