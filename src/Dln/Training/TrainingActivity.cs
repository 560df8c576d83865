namespace DeepLanguageNetworks;

/// <summary>
/// What a training run is doing right now: the phase of work, how many of its requests are done out of how many it
/// will make, and what the run has spent so far. Delivered to <see cref="TrainingRunOptions.ActivityProgress"/> when a
/// phase begins, when its plan changes, each time one of its requests completes, and when it ends;
/// <see cref="TrainingProgress"/> reports finished iterations.
/// </summary>
/// <remarks>
/// <para>Requests are counted when they complete, answered by the backend or by a cache alike, so
/// <see cref="CallsDone"/> reaches <see cref="CallsPlanned"/> even on a run answered wholly from a cache; the
/// backend calls, tokens and cost of the run (<see cref="Calls"/>, <see cref="Tokens"/>, <see cref="Cost"/>) exclude
/// cache hits.</para>
/// <para><see cref="CallsPlanned"/> is what the phase issues when every request fits the context window and none
/// fails, a judge metric's gradings included. <see cref="CallsDone"/> never exceeds it and ends equal to it unless the
/// phase does less than its plan: candidate racing stops candidates before the whole batch
/// (<see cref="VariationalTrainerOptions.CandidateRacing"/>), a validation stops early
/// (<see cref="VariationalTrainerOptions.StopValidationEarly"/>), an example is dropped because one of its requests
/// did not fit the context window (the example's later requests are not made), or the phase fails. The plan of a
/// <see cref="TrainingActivityPhase.Scoring"/> phase counts every candidate the proposals could make until they are in
/// (<see cref="Candidates"/> 0), then the distinct ones; a meta-prompt sent again, shorter, after it overflowed the
/// backward model's context adds one to its proposals' plan.</para>
/// <para>Phases of one iteration overlap (see <see cref="TrainingActivityPhase"/>), so the reports of two phases may
/// interleave; each request counts in the phase that started it, and the phases' calls done together are every
/// request of the run. Reports of one run arrive one at a time and in order, on the thread that completed a request: a
/// handler should be quick (update a display) and must not block.</para>
/// </remarks>
public sealed record TrainingActivity
{
    /// <summary>The iteration this work belongs to (1-based); 0 for the validation of the initial prompts.</summary>
    public required int Iteration { get; init; }

    /// <summary>Total iterations of the run.</summary>
    public required int TotalIterations { get; init; }

    /// <summary>The phase.</summary>
    public required TrainingActivityPhase Phase { get; init; }

    /// <summary>The layer the phase works on (0-based) for <see cref="TrainingActivityPhase.Posterior"/> (the hidden layer that wrote the text), <see cref="TrainingActivityPhase.Proposals"/> and <see cref="TrainingActivityPhase.Scoring"/>; otherwise <see langword="null"/>.</summary>
    public int? Layer { get; init; }

    /// <summary>For <see cref="TrainingActivityPhase.Scoring"/>: the number of distinct candidate prompts scored, once the proposals are in (0 before); otherwise 0.</summary>
    public int Candidates { get; init; }

    /// <summary>Requests of this phase completed so far.</summary>
    public int CallsDone { get; init; }

    /// <summary>Requests the phase makes in all (0 for a validation whose prompts were measured before).</summary>
    public int CallsPlanned { get; init; }

    /// <summary>Whether the phase has ended (this is its last report).</summary>
    public bool IsCompleted { get; init; }

    /// <summary>Backend calls of the run so far (cache hits excluded).</summary>
    public long Calls { get; init; }

    /// <summary>Requests of the run answered by a cache so far.</summary>
    public long CacheHits { get; init; }

    /// <summary>Tokens of the run so far (cache hits excluded).</summary>
    public long Tokens { get; init; }

    /// <summary>Money spent by the run so far, with <see cref="TrainingRunOptions.Prices"/>; otherwise <see langword="null"/>.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Time since the phase began.</summary>
    public TimeSpan Elapsed { get; init; }
}
