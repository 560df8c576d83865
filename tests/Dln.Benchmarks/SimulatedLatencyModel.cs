using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace DeepLanguageNetworks.Benchmarks;

/// <summary>
/// A stand-in for a hosted endpoint: every call waits a fixed latency (a timer, no CPU) and answers deterministically
/// from a hash of the request, so the trainer sees errors to fix, distinct proposals and varied scores.
/// </summary>
internal sealed class SimulatedLatencyModel(TimeSpan latency) : ILanguageModel
{
    private long _calls;
    private long _busyTicks;

    public LanguageModelMetadata Metadata { get; } = new("simulated", "simulated-50ms", new LanguageModelCapabilities
    {
        SampledTokenLogProbabilities = true,
        NextTokenLogProbabilities = true,
        MaxTopLogProbabilities = 20,
        ContinuationLogProbabilities = true,
        Deterministic = true,
        DefaultMaxConcurrency = 16,
    });

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>The time the calls took in this backend, all together (what a server would report as its latency).</summary>
    public TimeSpan Busy => TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks));

    public async Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        await WaitAsync(cancellationToken).ConfigureAwait(false);
        var h = Hash(request.Prompt, request.Seed ?? 0, request.SampleIndex);
        var text = $"Consider step {h % 97} and then check rule {(h >> 8) % 89} before answering.";
        return new GenerationResponse(text, new LanguageModelUsage(request.Prompt.Length / 4, 16)) { FinishReason = FinishReason.Stop };
    }

    public async Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        await WaitAsync(cancellationToken).ConfigureAwait(false);
        var h = Hash(request.Context, 0, 0);
        var yes = 0.2 + (0.6 * (h % 1000) / 1000.0);
        TokenLogProbability[] top = yes >= 0.5
            ? [new(" yes", Math.Log(yes)), new(" no", Math.Log(1 - yes))]
            : [new(" no", Math.Log(1 - yes)), new(" yes", Math.Log(yes))];
        return new NextTokenResponse(top, new LanguageModelUsage(request.Context.Length / 4, 1));
    }

    public async Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        await WaitAsync(cancellationToken).ConfigureAwait(false);
        var h = Hash(request.Context, 0, 0) ^ Hash(request.Continuation, 1, 1);
        var words = request.Continuation.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var tokens = words.Select((w, i) => new TokenLogProbability(w, -0.5 - (((h >> (i % 32)) & 0xFF) / 128.0))).ToArray();
        return new ContinuationResponse(tokens, new LanguageModelUsage((request.Context.Length + request.Continuation.Length) / 4, 0));
    }

    public void Dispose()
    {
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (latency > TimeSpan.Zero)
        {
            // A timer wait: no CPU. Timers fire a little late, so each call's own time is measured, as a server's is.
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _busyTicks, Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    private static ulong Hash(string text, long seed, int index)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{index}:{text}"), digest);
        return BitConverter.ToUInt64(digest);
    }
}
