using System.ClientModel.Primitives;
using System.Threading.RateLimiting;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Holds a requests-per-minute rate on the HTTP requests of one model: a per-try policy of its pipeline, so that every
/// attempt, and a request that carries a batch of prompts, counts once, as the server counts them.
/// </summary>
/// <remarks>A System.Threading.RateLimiting token bucket: whole requests per period express any per-minute rate.</remarks>
internal sealed class RequestRateLimitPolicy : PipelinePolicy, IDisposable
{
    private readonly TokenBucketRateLimiter _limiter;

    public RequestRateLimitPolicy(int requestsPerMinute)
    {
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, requestsPerMinute / 60),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / requestsPerMinute,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        using var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            using var waited = _limiter.AcquireAsync(1, message.CancellationToken).AsTask().GetAwaiter().GetResult();
        }

        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        using (await _limiter.AcquireAsync(1, message.CancellationToken).ConfigureAwait(false))
        {
        }

        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
    }

    public void Dispose() => _limiter.Dispose();
}
