using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepLanguageNetworks;

/// <summary>
/// A decorator that records every call in a <see cref="UsageTracker"/> (per role and layer from the request's
/// <c>Purpose</c>, per model) and can refuse calls that would go over a hard <see cref="UsageBudget"/>. Thread-safe.
/// </summary>
/// <remarks>
/// <para>Place it outside the cache (<see cref="CachingLanguageModel"/>): responses marked
/// <see cref="LanguageModelResponse.FromCache"/> are counted as cache hits and their tokens as saved, not spent.</para>
/// <para>With a hard limit, a call is refused with <see cref="BudgetExceededException"/> (logged as a warning, event
/// id 1300) when the calls made plus those in flight, or the tokens or money spent, have reached the limit. Calls
/// count exactly, even when many run at once; tokens and money are known only when a call returns, so calls already
/// in flight may take them past the limit by their own usage. A refused request that a cache below can answer (an
/// <see cref="ILanguageModelResponseCache"/> found through <see cref="ILanguageModel.GetService"/>) is let through,
/// since it costs nothing.</para>
/// </remarks>
internal sealed partial class UsageTrackingLanguageModel : DelegatingLanguageModel
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

    /// <summary>Also answers requests for the <see cref="UsageTracker"/>, so that <c>model.GetService&lt;UsageTracker&gt;()</c> finds it.</summary>
    /// <param name="serviceType">The type of service requested.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(UsageTracker) ? Tracker : base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    protected override async Task<TResponse> InvokeAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
    {
        var modelId = InnerModel.Metadata.ModelId;
        var reason = Tracker.TryBeginCall(_hardLimit);
        var reserved = reason is null;
        if (!reserved && !await IsAnsweredByCacheAsync(request, cancellationToken).ConfigureAwait(false))
        {
            Log.CallRefused(_logger, InnerModel.Metadata.ToString(), request.Purpose.ToString(), reason!);
            throw new BudgetExceededException(reason!, _hardLimit!);
        }

        try
        {
            var response = await next(request, cancellationToken).ConfigureAwait(false);
            Tracker.Record(modelId, request.Purpose, response.Usage, response.FromCache);
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
            Tracker.RecordFailure(modelId, request.Purpose);
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

    // Whichever cache sits below, found by what it can do rather than by its type.
    private async Task<bool> IsAnsweredByCacheAsync(LanguageModelRequest request, CancellationToken cancellationToken) =>
        InnerModel.GetService(typeof(ILanguageModelResponseCache)) is ILanguageModelResponseCache cache &&
        await cache.ContainsAsync(request, cancellationToken).ConfigureAwait(false);

    private static partial class Log
    {
        [LoggerMessage(EventId = LanguageModelLogEvents.BudgetRefused, Level = LogLevel.Warning,
            Message = "A {Purpose} call to {Model} was refused: {Reason}")]
        public static partial void CallRefused(ILogger logger, string model, string purpose, string reason);
    }
}
