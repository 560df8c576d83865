using System.Diagnostics;
using DeepLanguageNetworks.Tests.Diagnostics;
using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// No hidden middleware: the trainer adds a runtime decorator only where the caller's pipeline has none of its kind,
/// always counts usage, disposes the pipelines it built when the run ends and never disposes the caller's models.
/// </summary>
[Collection(TelemetryCollection.Name)]
public class RuntimeDecoratorTests
{
    [Fact]
    public async Task A_pipeline_with_its_own_cache_gets_no_second_cache_and_makes_the_same_backend_calls()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var plain = new ScriptedWorldModel(NumberParityTask.Instance);
        var reference = await new VariationalTrainer(plain, TrainingScenarios.Dln1Small).TrainAsync(TrainingScenarios.NumberNetwork(plain), train, dev);

        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        var userStore = new CountingCacheStore();
        var runStore = new CountingCacheStore();
        using var cached = new LanguageModelBuilder(world).UseCache(userStore).Build();
        RunModels? models = null;
        var trainer = new VariationalTrainer(cached, TrainingScenarios.Dln1Small, new TrainingRunOptions { CacheStore = runStore }) { ModelsBuilt = m => models = m };

        var result = await trainer.TrainAsync(TrainingScenarios.NumberNetwork(cached), train, dev);

        Assert.Equal(RuntimeDecorators.Telemetry | RuntimeDecorators.Retry | RuntimeDecorators.ConcurrencyLimit, models!.AddedTo(cached));
        Assert.Equal(0, runStore.Reads + runStore.Writes);
        Assert.True(userStore.Writes > 0);
        // One cache either way: the backend sees exactly the calls of a run through the trainer's own cache, and the
        // usage tracker above the caller's cache tells its hits from calls.
        Assert.Equal(plain.Calls, world.Calls);
        Assert.Equal(world.Calls, result.Calls);
        Assert.Equal(RunRecord.Of(reference), RunRecord.Of(result));
    }

    [Fact]
    public void Each_decorator_of_a_callers_pipeline_is_found_and_not_added_again()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        using var full = new LanguageModelBuilder(world).UseTelemetry().UseCache(new InMemoryCacheStore()).UseRetry().UseConcurrencyLimit(2).Build();
        using var limited = new LanguageModelBuilder(world).UseConcurrencyLimit(2).Build();

        Assert.Equal(RuntimeDecorators.All, RunModels.Present(full));
        Assert.Equal(RuntimeDecorators.ConcurrencyLimit, RunModels.Present(limited));
        Assert.Equal(RuntimeDecorators.None, RunModels.Present(world));

        var network = Dln.CreateOneLayer(limited, "p", OutputSpace.FromClasses("yes", "no"));
        using var models = new RunModels(network, full, new TrainingRunOptions(), recorder: null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(RuntimeDecorators.None, models.AddedTo(full));
        Assert.Equal(RuntimeDecorators.Telemetry | RuntimeDecorators.Cache | RuntimeDecorators.Retry, models.AddedTo(limited));

        using var none = new RunModels(network, world, new TrainingRunOptions { RuntimeDecorators = RuntimeDecorators.None }, recorder: null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(RuntimeDecorators.None, none.AddedTo(world));
        // Usage is always counted.
        Assert.NotNull(none.Backward.GetService<UsageTracker>());
    }

    [Fact]
    public async Task A_pipeline_with_its_own_telemetry_gets_one_client_span_per_call()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        using var traced = new LanguageModelBuilder(world).UseTelemetry().Build();
        using var capture = new TelemetryCapture();

        var result = await new VariationalTrainer(traced, TrainingScenarios.Dln1Small with { Iterations = 2 }).TrainAsync(TrainingScenarios.NumberNetwork(traced), train, dev);

        var run = Assert.Single(capture.Spans, s => s.OperationName == "dln.train");
        var calls = capture.Spans.Where(s => s.TraceId == run.TraceId && s.Kind == ActivityKind.Client).ToArray();
        // The caller's telemetry sits below the trainer's cache: one span per backend call, none twice.
        Assert.Equal(result.Calls, calls.Length);
        Assert.True(result.Usage.Total.CacheHits > 0);
        var clientSpans = calls.Select(s => s.SpanId).ToHashSet();
        Assert.DoesNotContain(calls, s => clientSpans.Contains(s.ParentSpanId));
    }

    [Fact]
    public async Task The_pipelines_the_trainer_built_are_disposed_when_the_run_ends_and_the_callers_models_are_not()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        using var forward = new DisposalCountingModel(world);
        using var backward = new DisposalCountingModel(world);
        RunModels? models = null;
        var trainer = new VariationalTrainer(backward, TrainingScenarios.Dln1Small with { Iterations = 2 }) { ModelsBuilt = m => models = m };

        await trainer.TrainAsync(TrainingScenarios.NumberNetwork(forward), train, dev);

        Assert.True(models!.IsDisposed(forward));
        Assert.True(models.IsDisposed(backward));
        Assert.Equal(0, forward.Disposals + backward.Disposals);
        // The caller's models still work.
        Assert.NotEmpty((await forward.GenerateAsync(new GenerationRequest("Number: 7\n\nAnswer:"))).Text);
    }

    [Fact]
    public async Task The_pipelines_are_disposed_also_when_the_run_fails()
    {
        var (train, dev, _) = NumberParityTask.Splits();
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        using var cancellation = new CancellationTokenSource();
        RunModels? models = null;
        var trainer = new VariationalTrainer(world, TrainingScenarios.Dln1Small) { ModelsBuilt = m => models = m };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            trainer.TrainAsync(TrainingScenarios.NumberNetwork(world), train, dev, new CancelAtIteration(1, cancellation), cancellation.Token));

        Assert.True(models!.IsDisposed(world));
    }

    [Fact]
    public void The_estimate_counts_a_callers_cache_as_a_cache()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance);
        using var cached = new LanguageModelBuilder(world).UseCache(new InMemoryCacheStore()).Build();
        var (train, dev, _) = NumberParityTask.Splits();
        var direct = new TrainingRunOptions { RuntimeDecorators = RuntimeDecorators.None };

        var ownCache = new VariationalTrainer(cached, run: direct).Estimate(TrainingScenarios.NumberNetwork(cached), train, dev);
        var trainersCache = new VariationalTrainer(world).Estimate(TrainingScenarios.NumberNetwork(world), train, dev);
        var noCache = new VariationalTrainer(world, run: direct).Estimate(TrainingScenarios.NumberNetwork(world), train, dev);

        Assert.Equal(trainersCache.Calls, ownCache.Calls);
        Assert.True(noCache.Calls > ownCache.Calls);
    }

    private sealed class DisposalCountingModel(ILanguageModel inner) : DelegatingLanguageModel(inner)
    {
        public int Disposals { get; private set; }

        // Counts, and keeps the shared inner model alive for the other users of it.
        protected override void Dispose(bool disposing) => Disposals++;
    }

    private sealed class CountingCacheStore : ILanguageModelCacheStore
    {
        private readonly InMemoryCacheStore _inner = new();
        private int _reads;
        private int _writes;

        public int Reads => Volatile.Read(ref _reads);

        public int Writes => Volatile.Read(ref _writes);

        public ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return _inner.TryGetAsync(key, cancellationToken);
        }

        public ValueTask SetAsync(string key, byte[] value, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _writes);
            return _inner.SetAsync(key, value, cancellationToken);
        }
    }
}
