using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Log messages of the hosted backends. None of them takes a header, a request body or a key: only endpoints (host and
/// path), model names, statuses, timings and token counts.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Operation} on {Endpoint} (model {Model}) took {ElapsedMilliseconds} ms: {InputTokens} input and {OutputTokens} output tokens")]
    public static partial void CallCompleted(ILogger logger, string operation, string endpoint, string model, long elapsedMilliseconds, long inputTokens, long outputTokens);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Attempt {Attempt} of {MaxAttempts} on {Endpoint} failed ({Failure}); retrying in {DelayMilliseconds} ms")]
    public static partial void Retrying(ILogger logger, int attempt, int maxAttempts, string endpoint, string failure, long delayMilliseconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Operation} on {Endpoint} (model {Model}) failed: {Kind}, HTTP {StatusCode}")]
    public static partial void CallFailed(ILogger logger, string operation, string endpoint, string model, LanguageModelErrorKind kind, int? statusCode);
}
