using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks;

/// <summary>
/// A decorator that logs each call: operation, model, purpose, latency, tokens and whether it came from the cache at
/// <see cref="LogLevel.Debug"/>; prompts and responses only at <see cref="LogLevel.Trace"/>; failures at
/// <see cref="LogLevel.Warning"/>. Thread-safe.
/// </summary>
/// <remarks>
/// <para>Event ids are listed in <see cref="LanguageModelLogEvents"/>. Nothing but requests, responses and the model's
/// metadata is logged: metadata never holds credentials, so logs never hold secrets.</para>
/// <para>Place it outermost to see every request, cache hits included, or inside the cache to see only backend calls.</para>
/// </remarks>
internal sealed partial class LoggingLanguageModel : DelegatingLanguageModel
{
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Wraps <paramref name="innerModel"/>.</summary>
    /// <param name="innerModel">The model whose calls are logged.</param>
    /// <param name="logger">Where to log.</param>
    /// <param name="timeProvider">The clock used to measure latency; <see cref="TimeProvider.System"/> by default.</param>
    public LoggingLanguageModel(ILanguageModel innerModel, ILogger logger, TimeProvider? timeProvider = null)
        : base(innerModel)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    protected override async Task<TResponse> InvokeAsync<TResponse>(
        LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
    {
        var operation = CallText.LogName(request.Operation);
        var purpose = request.Purpose;
        var model = InnerModel.Metadata.ToString();
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            Log.Prompt(_logger, operation, model, purpose.ToString(), CallText.Prompt(request) + CallText.Continuation(request));
        }

        var started = _timeProvider.GetTimestamp();
        try
        {
            var response = await next(request, cancellationToken).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var elapsed = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
                Log.Completed(_logger, operation, model, purpose.ToString(), elapsed, response.Usage.InputTokens, response.Usage.OutputTokens, response.FromCache);
                if (_logger.IsEnabled(LogLevel.Trace))
                {
                    Log.Response(_logger, operation, model, CallText.Response(response));
                }
            }

            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.Cancelled(_logger, operation, model, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        catch (Exception ex)
        {
            Log.Failed(_logger, ex, operation, model, purpose.ToString(), _timeProvider.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LanguageModelLogEvents.CallCompleted, Level = LogLevel.Debug,
            Message = "{Operation} on {Model} for {Purpose} took {ElapsedMs:0} ms: {InputTokens} input and {OutputTokens} output tokens, from cache: {FromCache}")]
        public static partial void Completed(
            ILogger logger, string operation, string model, string purpose, double elapsedMs, long inputTokens, long outputTokens, bool fromCache);

        [LoggerMessage(EventId = LanguageModelLogEvents.CallPrompt, Level = LogLevel.Trace,
            Message = "{Operation} on {Model} for {Purpose}, prompt: {Prompt}")]
        public static partial void Prompt(ILogger logger, string operation, string model, string purpose, string prompt);

        [LoggerMessage(EventId = LanguageModelLogEvents.CallResponse, Level = LogLevel.Trace,
            Message = "{Operation} on {Model}, response: {Response}")]
        public static partial void Response(ILogger logger, string operation, string model, string response);

        [LoggerMessage(EventId = LanguageModelLogEvents.CallFailed, Level = LogLevel.Warning,
            Message = "{Operation} on {Model} for {Purpose} failed after {ElapsedMs:0} ms")]
        public static partial void Failed(ILogger logger, Exception exception, string operation, string model, string purpose, double elapsedMs);

        [LoggerMessage(EventId = LanguageModelLogEvents.CallCancelled, Level = LogLevel.Debug,
            Message = "{Operation} on {Model} was cancelled after {ElapsedMs:0} ms")]
        public static partial void Cancelled(ILogger logger, string operation, string model, double elapsedMs);
    }
}
