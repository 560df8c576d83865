using System.Text;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>
/// Routes llama.cpp's log output (which goes to the console by default) to the <see cref="ILogger"/> of the most
/// recently created model that has one, and drops it otherwise.
/// </summary>
/// <remarks>
/// llama.cpp has one process-wide log callback, and LLamaSharp only accepts it through its loader configuration until
/// the native library is loaded, so the callback is installed once, before the first model loads, and never replaced;
/// models register and unregister loggers with it.
/// </remarks>
internal static class NativeLogRouter
{
    private static readonly Lock Gate = new();
    private static readonly List<ILogger> Loggers = [];
    private static readonly StringBuilder PendingLine = new();

    // Held in a static field so the delegate handed to native code is never collected.
    private static readonly NativeLogConfig.LLamaLogCallback Callback = OnNativeLog;
    private static LLamaLogLevel s_pendingLevel;
    private static bool s_installed;

    /// <summary>Installs the callback if needed and adds <paramref name="logger"/> as the current destination.</summary>
    /// <param name="logger">Where llama.cpp's messages go while this registration lives; <see langword="null"/> to only silence them.</param>
    /// <returns>A registration to dispose when the model is disposed.</returns>
    public static IDisposable Register(ILogger? logger)
    {
        lock (Gate)
        {
            if (!s_installed)
            {
                Install();
                s_installed = true;
            }

            if (logger is not null)
            {
                Loggers.Add(logger);
            }
        }

        return new Registration(logger);
    }

    private static void Install()
    {
        try
        {
            // Before the native library loads this records the callback in LLamaSharp's loader configuration;
            // afterwards it calls llama_log_set directly.
            NativeLogConfig.llama_log_set(Callback);
        }
        catch (InvalidOperationException)
        {
            // The library finished loading between LLamaSharp's check and its configuration call: set it directly now.
            NativeLogConfig.llama_log_set(Callback);
        }
    }

    private static void OnNativeLog(LLamaLogLevel level, string message)
    {
        lock (Gate)
        {
            // llama.cpp writes one line in several calls (level Continue for the pieces after the first).
            if (level != LLamaLogLevel.Continue)
            {
                s_pendingLevel = level;
            }

            PendingLine.Append(message);
            if (!message.EndsWith('\n'))
            {
                return;
            }

            var line = PendingLine.ToString().TrimEnd();
            PendingLine.Clear();
            if (line.Length == 0 || Loggers.Count == 0)
            {
                return;
            }

            var logger = Loggers[^1];
            var logLevel = ToLogLevel(s_pendingLevel);
            if (logger.IsEnabled(logLevel))
            {
                logger.Log(logLevel, "llama.cpp: {NativeMessage}", line);
            }
        }
    }

    // llama.cpp's "info" messages describe every tensor and buffer: they are debug output for a .NET application.
    private static LogLevel ToLogLevel(LLamaLogLevel level) => level switch
    {
        LLamaLogLevel.Error => LogLevel.Error,
        LLamaLogLevel.Warning => LogLevel.Warning,
        LLamaLogLevel.Info => LogLevel.Debug,
        _ => LogLevel.Trace,
    };

    private sealed class Registration(ILogger? logger) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (logger is null || Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            lock (Gate)
            {
                Loggers.Remove(logger);
            }
        }
    }
}
