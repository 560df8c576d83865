namespace DeepLanguageNetworks;

/// <summary>Several observers seen as one, called in order (telemetry, logs, run folder, progress).</summary>
internal sealed class ObserverList : TrainingObserver
{
    private readonly TrainingObserver[] _observers;

    public ObserverList(IEnumerable<TrainingObserver?> observers) => _observers = [.. observers.OfType<TrainingObserver>()];

    public override IDisposable? BeginRun(TrainingRunInfo run) => Scopes(o => o.BeginRun(run));

    public override IDisposable? BeginPhase(TrainingPhase phase, int number, int plannedCalls = 0) => Scopes(o => o.BeginPhase(phase, number, plannedCalls));

    public override void CandidatesKnown(int layer, int candidates, int plannedCalls) => Each(o => o.CandidatesKnown(layer, candidates, plannedCalls));

    public override void CallsAdded(int calls) => Each(o => o.CallsAdded(calls));

    public override async Task RunStartingAsync(TrainingRunInfo run, IReadOnlyList<TrainingProgress> history, CancellationToken cancellationToken)
    {
        foreach (var o in _observers)
        {
            await o.RunStartingAsync(run, history, cancellationToken).ConfigureAwait(false);
        }
    }

    public override void StepCompleted(TrainingProgress report) => Each(o => o.StepCompleted(report));

    public override void StepFailed(Exception error) => Each(o => o.StepFailed(error));

    public override void FailureCounted(string step, int failures, int allowed, string error) => Each(o => o.FailureCounted(step, failures, allowed, error));

    public override void Validated(ValidationOutcome outcome) => Each(o => o.Validated(outcome));

    public override async Task PublishedAsync(TrainingProgress report)
    {
        foreach (var o in _observers)
        {
            await o.PublishedAsync(report).ConfigureAwait(false);
        }
    }

    public override void Stopped(string reason) => Each(o => o.Stopped(reason));

    public override async Task RunCompletedAsync(TrainingResult result)
    {
        foreach (var o in _observers)
        {
            await o.RunCompletedAsync(result).ConfigureAwait(false);
        }
    }

    public override void RunFailed(Exception error) => Each(o => o.RunFailed(error));

    private void Each(Action<TrainingObserver> call)
    {
        foreach (var o in _observers)
        {
            call(o);
        }
    }

    // Scopes are opened in order and closed in reverse, like nested usings. Opening happens in this synchronous call, so
    // an ambient span an observer starts (Activity.Current) is current for the caller's work.
    private IDisposable? Scopes(Func<TrainingObserver, IDisposable?> open)
    {
        List<IDisposable>? scopes = null;
        foreach (var o in _observers)
        {
            if (open(o) is { } scope)
            {
                (scopes ??= []).Add(scope);
            }
        }

        return scopes switch
        {
            null => null,
            [var single] => single,
            _ => new Nested(scopes),
        };
    }

    private sealed class Nested(List<IDisposable> scopes) : IDisposable
    {
        public void Dispose()
        {
            for (var i = scopes.Count - 1; i >= 0; i--)
            {
                scopes[i].Dispose();
            }
        }
    }
}
