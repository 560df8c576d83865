namespace DeepLanguageNetworks;

/// <summary>
/// A projection of a training run's backend calls and tokens, made before it starts (a dry run: no call is made): the
/// calls a run is expected to make under <see cref="Assumptions"/>, and an upper bound that holds whatever the run does
/// (retries of failed calls apart).
/// </summary>
/// <remarks>
/// <para>Both follow the trainer's schedule call by call: the forward pass of every batch, the posterior samples and
/// their scores, the proposals, every candidate's scores on the batch (or on the slices of
/// <see cref="VariationalTrainerOptions.CandidateRacing"/>), the trust region and the exploration penalty, the
/// validations, and class scoring by continuation as one call per spelling of every class
/// (<see cref="LanguageLayer.EffectiveClassScoring"/>). With a cache (the one the trainer adds, or one already in the
/// layers' pipelines) the scores the trainer asks twice by construction, the current prompt's, cost nothing; a
/// persistent cache filled by an earlier run lowers the real figures further.</para>
/// <para>The expected value assumes what <see cref="TrainingEstimateAssumptions"/> says (by default a backend that
/// never repeats itself: every proposal new, no update skipped, no validation of prompts already measured); measure
/// them on a pilot run with <see cref="TrainingEstimateAssumptions.FromResult"/> for an estimate of the real run. The
/// upper bound takes every proposal as new, no update skipped, every remembered prompt as a candidate of every update,
/// every answer as wrong for the exploration penalty, every racing round as long as the schedule allows and every
/// validation in full.</para>
/// <para>Tokens are rougher: input tokens are estimated at 4 characters per token from the rendered prompts of the given
/// examples, and each generation is assumed to use half of its token limit.</para>
/// </remarks>
public sealed record TrainingEstimate
{
    /// <summary>Expected calls per role (forward, backward, scoring, evaluation; judge with an LLM-judge metric).</summary>
    public required IReadOnlyDictionary<CallRole, long> CallsByRole { get; init; }

    /// <summary>The expected calls in all.</summary>
    public long Calls => CallsByRole.Values.Sum();

    /// <summary>The most calls per role the run can make (retries apart).</summary>
    public IReadOnlyDictionary<CallRole, long> MaxCallsByRole { get; init; } = new Dictionary<CallRole, long>();

    /// <summary>The most calls the run can make (retries apart).</summary>
    public long MaxCalls => MaxCallsByRole.Values.Sum();

    /// <summary>Estimated input tokens (expected).</summary>
    public required long InputTokens { get; init; }

    /// <summary>Estimated output tokens (expected).</summary>
    public required long OutputTokens { get; init; }

    /// <summary>Estimated tokens in all.</summary>
    public long Tokens => InputTokens + OutputTokens;

    /// <summary>Expected calls of one iteration that updates its prompts (validations and remembered candidates excluded).</summary>
    public required long CallsPerIteration { get; init; }

    /// <summary>Dev-set validations of the run's schedule (some may cost nothing, see <see cref="TrainingEstimateAssumptions.RepeatedValidationFraction"/>).</summary>
    public required int Validations { get; init; }

    /// <summary>What the expected value assumes of the run.</summary>
    public TrainingEstimateAssumptions Assumptions { get; init; } = TrainingEstimateAssumptions.Default;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Calls:N0} calls expected, at most {MaxCalls:N0} ({string.Join(", ", CallsByRole.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key.ToString().ToLowerInvariant()} {kv.Value:N0}"))}), ~{Tokens:N0} tokens";
}
