using System.Diagnostics;

namespace DeepLanguageNetworks;

/// <summary>
/// Turns the session's phases into the public <see cref="TrainingActivity"/> reports of
/// <see cref="TrainingRunOptions.ActivityProgress"/>: a report when a phase begins (with the requests it plans), one per
/// request completed (counted by <see cref="RequestCounter"/>, which the run puts outermost in every model pipeline, so
/// cache hits count as done), and one when it ends.
/// </summary>
/// <remarks>
/// The session runs one phase at a time (an iteration's phases run in turn, then its validation), so one current phase
/// is enough. Reports are sent under a lock, in order; a request that completes after its phase ended (a phase that
/// failed while others were in flight) is not counted.
/// </remarks>
internal sealed class ActivityObserver(IProgress<TrainingActivity> progress) : TrainingObserver
{
    private readonly object _gate = new();
    private int _totalIterations;
    private int _iteration;
    private Phase? _current;

    /// <summary>The run's usage tracker, whose totals the reports carry.</summary>
    public UsageTracker? Usage { get; set; }

    /// <summary>Adds the counter of completed requests to a model pipeline; it must be outermost.</summary>
    public void AddCounter(LanguageModelBuilder builder) => builder.Use(inner => new RequestCounter(inner, this));

    public override IDisposable? BeginRun(TrainingRunInfo run)
    {
        _totalIterations = run.Options.Iterations;
        return null;
    }

    public override IDisposable? BeginPhase(TrainingPhase phase, int number, int candidates = 0, int plannedCalls = 0)
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

        var current = new Phase(this, kind, _iteration, layer, kind == TrainingActivityPhase.Scoring ? candidates : 0, Math.Max(0, plannedCalls));
        lock (_gate)
        {
            _current = current;
            Report(current);
        }

        return current;
    }

    private void Completed()
    {
        lock (_gate)
        {
            if (_current is { IsEnded: false } phase)
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
            if (ReferenceEquals(_current, phase))
            {
                _current = null;
            }
        }
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

    private sealed class Phase(ActivityObserver owner, TrainingActivityPhase kind, int iteration, int? layer, int candidates, int planned) : IDisposable
    {
        public TrainingActivityPhase Kind { get; } = kind;

        public int Iteration { get; } = iteration;

        public int? Layer { get; } = layer;

        public int Candidates { get; } = candidates;

        public int Planned { get; } = planned;

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

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
            try
            {
                return await next(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                owner.Completed();
            }
        }
    }
}
