using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepLanguageNetworks;

/// <summary>
/// A decorator that records every call in a <see cref="UsageTracker"/> (per role and layer from the request's
/// <c>Purpose</c>, per model) and can refuse calls that would go over a hard <see cref="UsageBudget"/>. Thread-safe.
/// </summary>
/// <remarks>
/// <para>Place it outside <see cref="CachingLanguageModel"/>: responses marked <c>FromCache</c> are counted as cache
/// hits and their tokens as saved, not spent.</para>
/// <para>With a hard limit, a call is refused with <see cref="BudgetExceededException"/> (logged as a warning, event
/// id 1300) when the calls made plus those in flight, or the tokens or money spent, have reached the limit. Calls
/// count exactly, even when many run at once; tokens and money are known only when a call returns, so calls already
/// in flight may take them past the limit by their own usage. A refused request that the cache below can answer is
/// let through, since it costs nothing.</para>
/// </remarks>
public sealed partial class UsageTrackingLanguageModel : DelegatingLanguageModel
{
    private readonly UsageBudget? _hardLimit;
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="innerModel"/>.</summary>
    /// <param name="innerModel">The model whose calls are counted.</param>
    /// <param name="tracker">Where calls are recorded; may be shared with other models.</param>
    /// <param name="hardLimit">A budget that refuses calls before they would exceed it, or <see langword="null"/> (the default) to only count.</param>
    /// <param name="logger">Receives a warning when a call is refused.</param>
    /// <exception cref="ArgumentException"><paramref name="hardLimit"/> sets a maximum cost but <paramref name="tracker"/> has no price table.</exception>
    public UsageTrackingLanguageModel(ILanguageModel innerModel, UsageTracker tracker, UsageBudget? hardLimit = null, ILogger? logger = null)
        : base(innerModel)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        if (hardLimit?.MaxCost is not null && tracker.Prices is null)
        {
            throw new ArgumentException(
                "The hard usage budget sets MaxCost, but the UsageTracker has no PriceTable to compute costs with.", nameof(hardLimit));
        }

        Tracker = tracker;
        _hardLimit = hardLimit;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The tracker calls are recorded in.</summary>
    public UsageTracker Tracker { get; }

    /// <inheritdoc />
    public override Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(
            request.Purpose,
            ct => InnerModel.GenerateAsync(request, ct),
            static r => (r.Usage, r.FromCache),
            (cache, ct) => cache.ContainsAsync(request, ct),
            cancellationToken);
    }

    /// <inheritdoc />
    public override Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(
            request.Purpose,
            ct => InnerModel.GetNextTokenLogProbabilitiesAsync(request, ct),
            static r => (r.Usage, r.FromCache),
            (cache, ct) => cache.ContainsAsync(request, ct),
            cancellationToken);
    }

    /// <inheritdoc />
    public override Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(
            request.Purpose,
            ct => InnerModel.ScoreContinuationAsync(request, ct),
            static r => (r.Usage, r.FromCache),
            (cache, ct) => cache.ContainsAsync(request, ct),
            cancellationToken);
    }

    /// <summary>Also answers requests for the <see cref="UsageTracker"/>, so that <c>model.GetService&lt;UsageTracker&gt;()</c> finds it.</summary>
    /// <param name="serviceType">The type of service requested.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(UsageTracker) ? Tracker : base.GetService(serviceType, serviceKey);
    }

    private async Task<T> RunAsync<T>(
        CallPurpose purpose,
        Func<CancellationToken, Task<T>> call,
        Func<T, (LanguageModelUsage Usage, bool FromCache)> describe,
        Func<CachingLanguageModel, CancellationToken, Task<bool>> isCached,
        CancellationToken cancellationToken)
    {
        var modelId = InnerModel.Metadata.ModelId;
        var reason = Tracker.TryBeginCall(_hardLimit);
        var reserved = reason is null;
        if (!reserved && !await IsAnsweredByCacheAsync(isCached, cancellationToken).ConfigureAwait(false))
        {
            Log.CallRefused(_logger, InnerModel.Metadata.ToString(), purpose.ToString(), reason!);
            throw new BudgetExceededException(reason!, _hardLimit!);
        }

        try
        {
            var response = await call(cancellationToken).ConfigureAwait(false);
            var (usage, fromCache) = describe(response);
            Tracker.Record(modelId, purpose, usage, fromCache);
            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BudgetExceededException)
        {
            throw; // refused further down (a tracker below this one): no call was made
        }
        catch (Exception)
        {
            Tracker.RecordFailure(modelId, purpose);
            throw;
        }
        finally
        {
            if (reserved)
            {
                Tracker.EndCall();
            }
        }
    }

    private async Task<bool> IsAnsweredByCacheAsync(Func<CachingLanguageModel, CancellationToken, Task<bool>> isCached, CancellationToken cancellationToken) =>
        InnerModel.GetService(typeof(CachingLanguageModel)) is CachingLanguageModel cache &&
        await isCached(cache, cancellationToken).ConfigureAwait(false);

    private static partial class Log
    {
        [LoggerMessage(EventId = LanguageModelLogEvents.BudgetRefused, Level = LogLevel.Warning,
            Message = "A {Purpose} call to {Model} was refused: {Reason}")]
        public static partial void CallRefused(ILogger logger, string model, string purpose, string reason);
    }
}
