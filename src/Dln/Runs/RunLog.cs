using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks;

// Log messages about the run folder, event ids 1500–1599 (listed in README).
internal static partial class RunLog
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Recording the run in {Directory} (resumed: {Resumed})")]
    public static partial void Recording(ILogger logger, string directory, bool resumed);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "The run folder {Directory} held an earlier run; its files are replaced")]
    public static partial void Replacing(ILogger logger, string directory);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "The training curve could not be drawn into {Path}; the report is written without it")]
    public static partial void CurveFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "Run report written to {Path}")]
    public static partial void ReportWritten(ILogger logger, string path);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "The call log {Path} could not be written or closed; it stops here, the calls and the run go on")]
    public static partial void CallLogStopped(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "{Path} could not be closed; the run's result and its error (if any) are not affected")]
    public static partial void CloseFailed(ILogger logger, Exception exception, string path);
}
