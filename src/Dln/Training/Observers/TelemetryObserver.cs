using System.Diagnostics;

namespace DeepLanguageNetworks;

/// <summary>
/// Traces a training session on <see cref="Telemetry.ActivitySource"/>: a <c>dln.train</c> span for the run, with
/// <c>dln.iteration</c> and <c>dln.validate</c> spans under it and the phases of an iteration (<c>dln.forward</c>,
/// <c>dln.posterior</c>, <c>dln.propose</c>, <c>dln.score</c>, tagged with the layer and its node name) under those; the calls' own spans come from
/// <see cref="TelemetryLanguageModel"/>. Without a listener nothing is recorded.
/// </summary>
internal sealed class TelemetryObserver : TrainingObserver
{
    // The session runs one iteration or validation at a time, so the spans that receive tags later are kept here.
    private Activity? _run;
    private Activity? _iteration;
    private Activity? _validation;
    private Dln? _network;

    // Layer updates run one after another, so one score span is open at a time.
    private Activity? _score;

    public override IDisposable? BeginRun(TrainingRunInfo run)
    {
        _network = run.Network;
        _run = Telemetry.ActivitySource.StartActivity(TelemetryNames.TrainSpan);
        _run?.SetTag("dln.network.depth", run.Network.Depth);
        _run?.SetTag("dln.network.kind", run.Network.IsStack ? "stack" : "graph");
        _run?.SetTag("dln.iterations", run.Options.Iterations);
        _run?.SetTag("dln.seed", run.Options.Seed);
        _run?.SetTag("dln.resumed", run.ResumedFrom is not null);
        return _run;
    }

    public override IDisposable? BeginPhase(TrainingPhase phase, int number, int plannedCalls = 0)
    {
        var activity = Telemetry.ActivitySource.StartActivity(phase switch
        {
            TrainingPhase.Iteration => TelemetryNames.IterationSpan,
            TrainingPhase.Validation => TelemetryNames.ValidateSpan,
            TrainingPhase.Forward => TelemetryNames.ForwardSpan,
            TrainingPhase.Posterior => TelemetryNames.PosteriorSpan,
            TrainingPhase.Propose => TelemetryNames.ProposeSpan,
            _ => TelemetryNames.ScoreSpan,
        });
        switch (phase)
        {
            case TrainingPhase.Iteration:
                _iteration = activity;
                activity?.SetTag(TelemetryNames.Iteration, number);
                break;
            case TrainingPhase.Validation:
                _validation = activity;
                activity?.SetTag(TelemetryNames.Iteration, number);
                break;
            case TrainingPhase.Posterior or TrainingPhase.Propose:
                TagLayer(activity, number);
                break;
            case TrainingPhase.Score:
                _score = activity;
                TagLayer(activity, number);
                break;
        }

        return activity;
    }

    public override void CandidatesKnown(int layer, int candidates, int plannedCalls) => _score?.SetTag("dln.candidates", candidates);

    public override void StepCompleted(TrainingProgress report)
    {
        _iteration?.SetTag("dln.batch_accuracy", report.BatchAccuracy);
        _iteration?.SetTag("dln.elbo", report.Elbo);
        _iteration?.SetTag("dln.skipped", report.Skipped);
    }

    public override void StepFailed(Exception error) => MarkFailed(_iteration, error);

    public override void Validated(ValidationOutcome outcome)
    {
        _validation?.SetTag("dln.dev_accuracy", outcome.DevAccuracy);
        _validation?.SetTag("dln.dev_accuracy.cached", outcome.FromCache);
        if (outcome.ItemsEvaluated is { } items)
        {
            _validation?.SetTag("dln.dev_items_evaluated", items);
        }

        _validation?.SetTag("dln.backtracked", outcome.Backtracked);
    }

    public override Task RunCompletedAsync(TrainingResult result)
    {
        _run?.SetTag("dln.iterations_completed", result.IterationsCompleted);
        _run?.SetTag("dln.best_dev_accuracy", result.BestDevAccuracy);
        _run?.SetTag("dln.backend_calls", result.Calls);
        if (result.StopReason is not null)
        {
            _run?.SetTag("dln.stop_reason", result.StopReason);
        }

        return Task.CompletedTask;
    }

    public override void RunFailed(Exception error) => MarkFailed(_run, error);

    private void TagLayer(Activity? activity, int layer)
    {
        activity?.SetTag(TelemetryNames.Layer, layer);
        if (_network is { } network && layer >= 0 && layer < network.Depth)
        {
            activity?.SetTag(TelemetryNames.Node, network.Nodes[layer].Name);
        }
    }

    private static void MarkFailed(Activity? activity, Exception error)
    {
        activity?.SetTag(TelemetryNames.ErrorType, error.GetType().FullName);
        activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
    }
}
