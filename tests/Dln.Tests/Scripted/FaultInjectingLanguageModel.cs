using System.Collections.Concurrent;
using System.Globalization;

namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// A decorator for tests that makes a healthy model misbehave like a real backend: transient errors, timeouts, hangs,
/// latency spikes, or a backend that is down. A fault plan decides, for every attempt of every call, which
/// <see cref="FaultKind"/> happens.
/// </summary>
/// <remarks>
/// <para><see cref="Seeded"/> plans are deterministic per request and attempt: the fault of attempt n of a request is
/// a function of the plan's seed, the request's cache key and n only, never of timing or call order. A request that
/// fails on its first attempt therefore usually succeeds when the retry decorator tries it again, and two runs with the
/// same seed see the same faults.</para>
/// <para>Thread-safe. Place it directly around the backend, inside the retry decorator, as a real backend's faults are.</para>
/// </remarks>
internal sealed class FaultInjectingLanguageModel : DelegatingLanguageModel
{
    private readonly Func<FaultCall, FaultKind> _plan;
    private readonly Func<Exception> _permanentError;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly long[] _injected = new long[Enum.GetValues<FaultKind>().Length];
    private long _latencySeed;

    /// <summary>Wraps <paramref name="inner"/> with a fault plan.</summary>
    /// <param name="inner">The healthy model.</param>
    /// <param name="plan">Decides the fault of each attempt.</param>
    /// <param name="permanentError">The error of <see cref="FaultKind.Permanent"/>; a refused connection by default.</param>
    public FaultInjectingLanguageModel(ILanguageModel inner, Func<FaultCall, FaultKind> plan, Func<Exception>? permanentError = null)
        : base(inner)
    {
        _plan = plan;
        _permanentError = permanentError ?? (() => new HttpRequestException("Connection refused (127.0.0.1:443)"));
    }

    /// <summary>Fails, with <paramref name="error"/>, every call whose purpose and text (prompt or context) <paramref name="fails"/> picks.</summary>
    public FaultInjectingLanguageModel(ILanguageModel inner, Func<CallPurpose, string, bool> fails, Func<Exception> error)
        : this(inner, c => fails(c.Purpose, c.Text) ? FaultKind.Permanent : FaultKind.None, error)
    {
    }

    /// <summary>Fails, with <paramref name="error"/>, the generation calls <paramref name="fails"/> picks.</summary>
    public FaultInjectingLanguageModel(ILanguageModel inner, Func<GenerationRequest, bool> fails, Func<Exception> error)
        : base(inner)
    {
        _plan = _ => FaultKind.None;
        _permanentError = error;
        FailsGeneration = fails;
    }

    /// <summary>Calls that threw (transient, timeout and permanent faults; hangs end as the caller's cancellation).</summary>
    public long Failures => Injected(FaultKind.Transient) + Injected(FaultKind.Timeout) + Injected(FaultKind.Permanent);

    /// <summary>Attempts that ran into faults of all kinds except <see cref="FaultKind.None"/>.</summary>
    public long Faults => Enum.GetValues<FaultKind>().Where(k => k != FaultKind.None).Sum(Injected);

    private Func<GenerationRequest, bool>? FailsGeneration { get; }

    /// <summary>How many attempts got fault <paramref name="kind"/>.</summary>
    public long Injected(FaultKind kind) => Interlocked.Read(ref _injected[(int)kind]);

    /// <summary>
    /// A plan that injects each fault with its probability, drawn per request key and attempt from
    /// <paramref name="seed"/>; the rest of the attempts pass. The probabilities must sum to at most 1.
    /// </summary>
    public static Func<FaultCall, FaultKind> Seeded(int seed, double transient = 0, double timeout = 0, double hang = 0, double latencySpike = 0, double permanent = 0)
    {
        var thresholds = new (FaultKind Kind, double Upper)[]
        {
            (FaultKind.Transient, transient),
            (FaultKind.Timeout, transient + timeout),
            (FaultKind.Hang, transient + timeout + hang),
            (FaultKind.LatencySpike, transient + timeout + hang + latencySpike),
            (FaultKind.Permanent, transient + timeout + hang + latencySpike + permanent),
        };
        if (thresholds[^1].Upper > 1)
        {
            throw new ArgumentException("The fault probabilities sum to more than 1.");
        }

        return call =>
        {
            var u = Uniform(seed, call.Key, call.Attempt);
            foreach (var (kind, upper) in thresholds)
            {
                if (u < upper)
                {
                    return kind;
                }
            }

            return FaultKind.None;
        };
    }

    public override Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        if (FailsGeneration?.Invoke(request) == true)
        {
            Count(FaultKind.Permanent);
            return Task.FromException<GenerationResponse>(_permanentError());
        }

        return InjectAsync(LanguageModelOperation.Generation, request.Purpose, request.Prompt, LanguageModelCacheKey.For(Metadata, request),
            ct => base.GenerateAsync(request, ct), cancellationToken);
    }

    public override Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
        InjectAsync(LanguageModelOperation.NextTokenLogProbabilities, request.Purpose, request.Context, LanguageModelCacheKey.For(Metadata, request),
            ct => base.GetNextTokenLogProbabilitiesAsync(request, ct), cancellationToken);

    public override Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
        InjectAsync(LanguageModelOperation.ContinuationLogProbabilities, request.Purpose, request.Context, LanguageModelCacheKey.For(Metadata, request),
            ct => base.ScoreContinuationAsync(request, ct), cancellationToken);

    // A stable hash (string hash codes are randomised per process): the first 16 hex digits of the SHA-256 cache key,
    // mixed with the seed and the attempt by SplitMix64, scaled to [0, 1).
    private static double Uniform(int seed, string key, int attempt)
    {
        unchecked
        {
            var z = ulong.Parse(key.AsSpan(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            z ^= ((ulong)(uint)seed << 32) ^ (uint)attempt;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }

    private async Task<T> InjectAsync<T>(LanguageModelOperation operation, CallPurpose purpose, string text, string key, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var attempt = _attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        var fault = _plan(new FaultCall(operation, purpose, text, key, attempt));
        Count(fault);
        switch (fault)
        {
            case FaultKind.Transient:
                throw new LanguageModelException($"HTTP 503 Service Unavailable (injected, attempt {attempt})")
                {
                    Kind = LanguageModelErrorKind.ServerError,
                    StatusCode = 503,
                };
            case FaultKind.Timeout:
                throw new TimeoutException($"The backend did not answer in time (injected, attempt {attempt}).");
            case FaultKind.Hang:
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException("Unreachable: an infinite delay ends only by cancellation.");
            case FaultKind.LatencySpike:
                // 1 to 8 ms: enough to reorder completions, short enough to keep the tests fast.
                await Task.Delay(1 + (int)(Interlocked.Increment(ref _latencySeed) % 8), cancellationToken).ConfigureAwait(false);
                break;
            case FaultKind.Permanent:
                throw _permanentError();
        }

        return await call(cancellationToken).ConfigureAwait(false);
    }

    private void Count(FaultKind kind) => Interlocked.Increment(ref _injected[(int)kind]);
}
