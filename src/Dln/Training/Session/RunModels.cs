using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks;

/// <summary>
/// The models of one run: a pipeline around each distinct model of the caller (the backward model, the layers'
/// models and a judge metric's model), and a twin of the caller's network whose layers call through them. A pipeline always counts usage; it adds
/// the runtime decorators <see cref="TrainingRunOptions.RuntimeDecorators"/> allows, each only where the caller's
/// pipeline has none of its kind. Disposing disposes what this built and never the caller's models.
/// </summary>
internal sealed class RunModels : IDisposable
{
    private readonly TrainingRunOptions _run;
    private readonly RunRecorder? _recorder;
    private readonly ILogger _logger;
    private readonly ActivityObserver? _activity;
    private readonly ILanguageModelCacheStore _cacheStore;
    private readonly Dictionary<ILanguageModel, Pipeline> _pipelines = new(ReferenceEqualityComparer.Instance);

    public RunModels(Dln network, ILanguageModel backwardModel, TrainingRunOptions run, RunRecorder? recorder, ILogger logger, IMetric? metric = null, ActivityObserver? activity = null)
    {
        _run = run;
        _recorder = recorder;
        _logger = logger;
        _activity = activity;
        _cacheStore = run.CacheStore ?? new InMemoryCacheStore();
        Usage = new UsageTracker(run.Prices);
        if (activity is not null)
        {
            activity.Usage = Usage;
        }

        Network = network.WithModels(Build);
        Backward = Build(backwardModel);

        // A judge's calls go through a pipeline of the run too: counted in the usage and budgets, cached, limited.
        Metric = metric is IModelBackedMetric backed ? backed.WithModels(Build) : metric ?? Metrics.ExactMatch;
    }

    /// <summary>Counts every call of the run (cache hits apart).</summary>
    public UsageTracker Usage { get; }

    /// <summary>The caller's network with the run's pipelines; prompts changed here do not reach the caller's network.</summary>
    public Dln Network { get; }

    /// <summary>The backward model's pipeline.</summary>
    public ILanguageModel Backward { get; }

    /// <summary>The run's metric; one that calls a model (a judge) calls it through the run's pipeline around that model.</summary>
    public IMetric Metric { get; }

    /// <summary>The decorators this added around <paramref name="model"/> besides usage tracking and the call log (for tests).</summary>
    internal RuntimeDecorators AddedTo(ILanguageModel model) => _pipelines[model].Added;

    /// <summary>Whether the pipeline around <paramref name="model"/> has been disposed, down to the caller's model (for tests).</summary>
    internal bool IsDisposed(ILanguageModel model) => _pipelines[model].Bottom.IsDisposed;

    public void Dispose()
    {
        foreach (var pipeline in _pipelines.Values)
        {
            pipeline.Model.Dispose();
        }
    }

    /// <summary>The decorators of the library's runtime stack already in <paramref name="model"/>'s pipeline.</summary>
    internal static RuntimeDecorators Present(ILanguageModel model) =>
        (Has<TelemetryLanguageModel>(model) ? RuntimeDecorators.Telemetry : RuntimeDecorators.None) |
        (Has<CachingLanguageModel>(model) ? RuntimeDecorators.Cache : RuntimeDecorators.None) |
        (Has<RetryingLanguageModel>(model) ? RuntimeDecorators.Retry : RuntimeDecorators.None) |
        (Has<ConcurrencyLimitingLanguageModel>(model) ? RuntimeDecorators.ConcurrencyLimit : RuntimeDecorators.None);

    private static bool Has<T>(ILanguageModel model) => model.GetService(typeof(T)) is not null;

    private ILanguageModel Build(ILanguageModel model)
    {
        if (_pipelines.TryGetValue(model, out var existing))
        {
            return existing.Model;
        }

        var present = Present(model);
        var added = _run.RuntimeDecorators & ~present;
        if ((_run.RuntimeDecorators & present) is not RuntimeDecorators.None and var kept)
        {
            TrainerLog.DecoratorsKept(_logger, model.Metadata.ToString(), kept);
        }

        // Outermost first: telemetry and the call log see every request, usage tracking tells cache hits from calls,
        // the cache answers before any retry, and retries wait out their back-off without holding a concurrency slot.
        var bottom = new CallerModel(model);
        var builder = new LanguageModelBuilder(bottom);

        // Outermost: a request is counted done for the activity reports once everything below has recorded it.
        _activity?.AddCounter(builder);
        if (added.HasFlag(RuntimeDecorators.Telemetry))
        {
            builder.UseTelemetry();
        }

        _recorder?.AddCallLog(builder);
        builder.UseUsageTracking(Usage);
        if (added.HasFlag(RuntimeDecorators.Cache))
        {
            builder.UseCache(_cacheStore);
        }

        if (added.HasFlag(RuntimeDecorators.Retry))
        {
            builder.UseRetry(_run.Retry);
        }

        if (added.HasFlag(RuntimeDecorators.ConcurrencyLimit))
        {
            builder.UseConcurrencyLimit(_run.MaxConcurrency);
        }

        var pipeline = new Pipeline(builder.Build(), bottom, added);
        _pipelines[model] = pipeline;
        return pipeline.Model;
    }

    private sealed record Pipeline(ILanguageModel Model, CallerModel Bottom, RuntimeDecorators Added);

    /// <summary>The caller's model at the bottom of a pipeline: disposing the pipeline stops here.</summary>
    private sealed class CallerModel(ILanguageModel inner) : DelegatingLanguageModel(inner)
    {
        public bool IsDisposed { get; private set; }

        protected override void Dispose(bool disposing) => IsDisposed = true;
    }
}
