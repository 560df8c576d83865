using System.Diagnostics;

namespace DeepLanguageNetworks;

/// <summary>
/// Turns the session's phases into the public <see cref="TrainingActivity"/> reports of
/// <see cref="TrainingRunOptions.ActivityProgress"/>: a report when a phase begins (with the requests it plans), one when
/// its plan changes (its candidates are known, a meta-prompt is sent again), one per request completed (counted by
/// <see cref="RequestCounter"/>, which the run puts outermost in every model pipeline, so cache hits count as done),
/// and one when it ends.
/// </summary>
/// <remarks>
/// <para>Phases of one iteration overlap (the output layer's proposals run while the posterior is sampled, candidates
/// are scored while proposals arrive), so a request belongs to the phase it was started in: the phase is carried in
/// the asynchronous flow (an <see cref="AsyncLocal{T}"/>, as <see cref="Activity.Current"/> carries the phase's span),
/// and the counter reads it when the request starts.</para>
/// <para>Reports are sent under a lock, in order; a request that completes after its phase ended is not counted (the
/// session waits for every call of a failed phase before it closes it, so none should).</para>
/// </remarks>
internal sealed class ActivityObserver(IProgress<TrainingActivity> progress) : TrainingObserver
{
    private readonly object _gate = new();
    private readonly AsyncLocal<Phase?> _current = new();
    private int _totalIterations;
    private int _iteration;

    /// <summary>The run's usage tracker, whose totals the reports carry.</summary>
    public UsageTracker? Usage { get; set; }

    /// <summary>Adds the counter of completed requests to a model pipeline; it must be outermost.</summary>
    public void AddCounter(LanguageModelBuilder builder) => builder.Use(inner => new RequestCounter(inner, this));

    public override IDisposable? BeginRun(TrainingRunInfo run)
    {
        _totalIterations = run.Options.Iterations;
        return null;
    }

    public override IDisposable? BeginPhase(TrainingPhase phase, int number, int plannedCalls = 0)
    {
        TrainingActivityPhase kind;
        int? layer = null;
        switch (phase)
        {
            case TrainingPhase.Iteration:
                _iteration = number;
                return null;
            case TrainingPhase.Validation:
                _iteration = number;
                kind = TrainingActivityPhase.Validation;
                break;
            case TrainingPhase.Forward:
                kind = TrainingActivityPhase.Forward;
                break;
            case TrainingPhase.Posterior:
                kind = TrainingActivityPhase.Posterior;
                layer = number;
                break;
            case TrainingPhase.Propose:
                kind = TrainingActivityPhase.Proposals;
                layer = number;
                break;
            default:
                kind = TrainingActivityPhase.Scoring;
                layer = number;
                break;
        }

        var current = new Phase(this, kind, _iteration, layer, _current.Value) { Planned = Math.Max(0, plannedCalls) };
        lock (_gate)
        {
            Report(current);
        }

        // The calls started from here on, in this flow, are this phase's (see the remarks); Dispose puts the outer one back.
        _current.Value = current;
        return current;
    }

    public override void CandidatesKnown(int layer, int candidates, int plannedCalls)
    {
        lock (_gate)
        {
            if (_current.Value is { IsEnded: false, Kind: TrainingActivityPhase.Scoring } phase)
            {
                phase.Candidates = candidates;
                phase.Planned = Math.Max(phase.Done, plannedCalls);
                Report(phase);
            }
        }
    }

    public override void CallsAdded(int calls)
    {
        lock (_gate)
        {
            if (_current.Value is { IsEnded: false } phase)
            {
                phase.Planned += calls;
                Report(phase);
            }
        }
    }

    private void Completed(Phase? phase)
    {
        lock (_gate)
        {
            if (phase is { IsEnded: false })
            {
                phase.Done++;
                Report(phase);
            }
        }
    }

    private void End(Phase phase)
    {
        lock (_gate)
        {
            if (phase.IsEnded)
            {
                return;
            }

            phase.IsEnded = true;
            Report(phase);
        }

        _current.Value = phase.Outer;
    }

    // Under _gate: reports leave in the order their counts changed.
    private void Report(Phase phase)
    {
        var totals = Usage?.Snapshot().Total ?? UsageCounts.Empty;
        progress.Report(new TrainingActivity
        {
            Iteration = phase.Iteration,
            TotalIterations = _totalIterations,
            Phase = phase.Kind,
            Layer = phase.Layer,
            Candidates = phase.Candidates,
            CallsDone = phase.Done,
            CallsPlanned = phase.Planned,
            IsCompleted = phase.IsEnded,
            Calls = totals.Calls,
            CacheHits = totals.CacheHits,
            Tokens = totals.TotalTokens,
            Cost = totals.Cost,
            Elapsed = phase.Clock.Elapsed,
        });
    }

    private sealed class Phase(ActivityObserver owner, TrainingActivityPhase kind, int iteration, int? layer, Phase? outer) : IDisposable
    {
        public TrainingActivityPhase Kind { get; } = kind;

        public int Iteration { get; } = iteration;

        public int? Layer { get; } = layer;

        /// <summary>The phase this one began in (restored when it ends).</summary>
        public Phase? Outer { get; } = outer;

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public int Candidates { get; set; }

        public int Planned { get; set; }

        public int Done { get; set; }

        public bool IsEnded { get; set; }

        public void Dispose() => owner.End(this);
    }

    /// <summary>Counts every request of the run when it completes, whoever answered it (backend or cache), and whether it failed.</summary>
    private sealed class RequestCounter(ILanguageModel inner, ActivityObserver owner) : DelegatingLanguageModel(inner)
    {
        protected override async Task<TResponse> InvokeAsync<TResponse>(
            LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
        {
            // The phase that started the request, read before the first await.
            var phase = owner._current.Value;
            try
            {
                return await next(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                owner.Completed(phase);
            }
        }
    }
}
