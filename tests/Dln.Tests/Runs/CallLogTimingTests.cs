using System.Text.Json;
using DeepLanguageNetworks.Tests.Data;
using Microsoft.Extensions.Time.Testing;

namespace DeepLanguageNetworks.Tests.Runs;

/// <summary>
/// The call log sits above the concurrency limit (it sees every caller and cache hit), yet its latency is the
/// backend's: the time a call waited for a slot is logged apart as its queue time.
/// </summary>
public sealed class CallLogTimingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Latency_is_the_backends_and_the_wait_for_a_slot_is_logged_apart()
    {
        var clock = new FakeTimeProvider();
        using var backend = new ClockAdvancingModel(clock, TimeSpan.FromMilliseconds(50));
        using var log = new CallLog(includeText: false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var path = Path.Combine(_folder.Path, "calls.jsonl");
        log.Open(path, append: false);
        using var model = new CallLogLanguageModel(
            new ConcurrencyLimitingLanguageModel(backend, new ConcurrencyLimitOptions { MaxConcurrency = 1, TimeProvider = clock }), log, clock);

        // Four calls at once through one slot: each waits for the ones before it, each takes 50 ms in the backend.
        // The backend starts only once all four have arrived, so that they all queue at time 0.
        var calls = Enumerable.Range(0, 4).Select(i => model.GenerateAsync(new GenerationRequest($"prompt {i}"))).ToArray();
        backend.Open();
        await Task.WhenAll(calls);
        log.Dispose();

        var entries = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(4, entries.Length);
        Assert.All(entries, e => Assert.Equal(50, e.GetProperty("latencyMs").GetDouble()));
        Assert.Equal([0.0, 50, 100, 150], entries.Select(e => e.GetProperty("queueMs").GetDouble()).Order());
    }

    [Fact]
    public async Task Without_a_limit_the_latency_is_the_whole_call_and_no_queue_time_is_logged()
    {
        var clock = new FakeTimeProvider();
        using var backend = new ClockAdvancingModel(clock, TimeSpan.FromMilliseconds(30));
        using var log = new CallLog(includeText: false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var path = Path.Combine(_folder.Path, "calls.jsonl");
        log.Open(path, append: false);
        using var model = new CallLogLanguageModel(backend, log, clock);
        backend.Open();

        await model.GenerateAsync(new GenerationRequest("prompt"));
        log.Dispose();

        var entry = JsonDocument.Parse(Assert.Single(File.ReadAllLines(path))).RootElement;
        Assert.Equal(30, entry.GetProperty("latencyMs").GetDouble());
        Assert.False(entry.TryGetProperty("queueMs", out var queue) && queue.ValueKind != JsonValueKind.Null);
    }

    /// <summary>A backend whose calls take a fixed time on a fake clock: each waits for the gate to open, then moves the clock on.</summary>
    private sealed class ClockAdvancingModel(FakeTimeProvider clock, TimeSpan latency) : ILanguageModel
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LanguageModelMetadata Metadata { get; } = new("fake", "clock", new LanguageModelCapabilities { DefaultMaxConcurrency = 1 });

        public void Open() => _gate.TrySetResult();

        public async Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
        {
            await _gate.Task;
            clock.Advance(latency);
            return new GenerationResponse("text", new LanguageModelUsage(1, 1));
        }

        public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
