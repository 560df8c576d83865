using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace DeepLanguageNetworks;

/// <summary>
/// A decorator that retries transient failures (throttling, server errors, dropped connections, timeouts) with
/// exponential back-off and jitter, on a Polly <see cref="ResiliencePipeline"/>. Thread-safe.
/// </summary>
/// <remarks>
/// <para>Which failures are transient is decided by <see cref="LanguageModelRetryOptions.IsTransient"/>; by default
/// a <see cref="LanguageModelException"/> is retried exactly when its <see cref="LanguageModelException.IsTransient"/>
/// says so. One that carries <see cref="LanguageModelException.RetryAfter"/> is retried after that delay (capped at
/// <see cref="LanguageModelRetryOptions.MaxDelay"/>) instead of the back-off.
/// Cancellation by the caller is never retried. After the last attempt the last failure is rethrown unchanged.</para>
/// <para>With <see cref="LanguageModelRetryOptions.TotalTimeout"/> a call that has not succeeded in that time (attempts
/// and delays together) fails with a <see cref="LanguageModelException"/> of kind <see cref="LanguageModelErrorKind.Timeout"/>,
/// not transient. The time counts everything below this decorator, such as a wait for a concurrency slot.</para>
/// <para>Each retry is logged as a warning (event id 1200). Place this decorator outside
/// <see cref="ConcurrencyLimitingLanguageModel"/> so that retries respect the limits without holding a slot while
/// they wait.</para>
/// </remarks>
internal sealed partial class RetryingLanguageModel : DelegatingLanguageModel
{
    private static readonly ResiliencePropertyKey<string> OperationKey = new("Dln.Operation");

    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private long _retries;

    /// <summary>Wraps <paramref name="innerModel"/>.</summary>
    /// <param name="innerModel">The backend whose transient failures are retried.</param>
    /// <param name="options">Retry settings; <see langword="null"/> for the defaults (3 retries from 1 second, doubling, at most 60 seconds apart).</param>
    /// <param name="logger">Receives a warning for each retry.</param>
    /// <exception cref="ArgumentOutOfRangeException">The options contradict each other (see <see cref="LanguageModelRetryOptions.Validate"/>).</exception>
    public RetryingLanguageModel(ILanguageModel innerModel, LanguageModelRetryOptions? options = null, ILogger? logger = null)
        : base(innerModel)
    {
        Options = options ?? new LanguageModelRetryOptions();
        Options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _pipeline = BuildPipeline(Options);
    }

    /// <summary>The retry settings.</summary>
    public LanguageModelRetryOptions Options { get; }

    /// <summary>How many retries this decorator has made so far (attempts after a failure).</summary>
    public long RetryCount => Interlocked.Read(ref _retries);

    /// <inheritdoc />
    protected override async Task<TResponse> InvokeAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
    {
        // The total timeout cancels the call's token, which ends the attempt in flight or the back-off delay, and stops
        // the retries (a cancelled call is never retried).
        using var deadline = Options.TotalTimeout is { } total ? new CancellationTokenSource(total, Options.TimeProvider) : null;
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var context = ResilienceContextPool.Shared.Get(linked?.Token ?? cancellationToken);
        var attempts = new StrongBox<int>();
        try
        {
            context.Properties.Set(OperationKey, CallText.LogName(request.Operation));
            return await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    state.attempts.Value++;
                    return await state.next(state.request, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                (request, next, attempts)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutRejectedException &&
            deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw new LanguageModelException(
                $"{CallText.LogName(request.Operation)} on {InnerModel.Metadata} gave up: no success within the total timeout of " +
                $"{Options.TotalTimeout!.Value.TotalSeconds:0.###} s (LanguageModelRetryOptions.TotalTimeout) after {attempts.Value} " +
                $"attempt{(attempts.Value == 1 ? "" : "s")}. Check that the backend is up and not overloaded, or raise TotalTimeout.",
                ex)
            {
                Kind = LanguageModelErrorKind.Timeout,
                IsTransient = false,
                Attempts = attempts.Value,
                Operation = request.Operation,
                ProviderName = InnerModel.Metadata.ProviderName,
                ModelId = InnerModel.Metadata.ModelId,
                Endpoint = InnerModel.Metadata.Endpoint,
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ResiliencePipeline BuildPipeline(LanguageModelRetryOptions options)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && !args.Context.CancellationToken.IsCancellationRequested && options.IsTransient(ex)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is LanguageModelException { RetryAfter: { } retryAfter }
                        ? (TimeSpan?)(retryAfter > options.MaxDelay ? options.MaxDelay : retryAfter)
                        : null),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _retries);
                    args.Context.Properties.TryGetValue(OperationKey, out var operation);
                    Log.RetryScheduled(
                        _logger, operation ?? "call", InnerModel.Metadata.ToString(), args.RetryDelay.TotalSeconds, args.AttemptNumber + 1,
                        options.MaxRetryAttempts, args.Outcome.Exception?.GetType().Name ?? "failure", args.Outcome.Exception?.Message ?? string.Empty);
                    return default;
                },
            });
        }

        // Inside the retry, so that a timed-out attempt is retried.
        if (options.AttemptTimeout is { } timeout)
        {
            builder.AddTimeout(timeout);
        }

        return builder.Build();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LanguageModelLogEvents.RetryScheduled, Level = LogLevel.Warning,
            Message = "Retrying {Operation} on {Model} in {DelaySeconds:0.##} s (retry {Retry} of {MaxRetries}) after {ExceptionType}: {ExceptionMessage}")]
        public static partial void RetryScheduled(
            ILogger logger, string operation, string model, double delaySeconds, int retry, int maxRetries, string exceptionType, string exceptionMessage);
    }
}
