using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks;

/// <summary>The writer of calls.jsonl: one JSON line per request, from any thread, each line flushed as it is written.</summary>
/// <remarks>
/// The log is a record of calls, never a reason for one to fail: the answer of a call was paid for whether or not its
/// line reaches the disk. A line that cannot be written (a full disk, a lost share) stops the log with one warning
/// (event id 1505) and the calls go on; a log that cannot be closed is reported the same way, so that the error that
/// ended a run is the one its caller sees.
/// </remarks>
internal sealed class CallLog : IDisposable
{
    private readonly object _gate = new();
    private readonly ILogger _logger;
    private readonly Func<string, bool, Stream> _open;
    private StreamWriter? _writer;
    private string? _path;

    /// <summary>Creates the log.</summary>
    /// <param name="includeText">Whether lines carry prompts and responses.</param>
    /// <param name="logger">Receives the warning when the log stops.</param>
    /// <param name="open">Opens the file (path, append); a <see cref="FileStream"/> by default (tests pass failing streams).</param>
    public CallLog(bool includeText, ILogger logger, Func<string, bool, Stream>? open = null)
    {
        IncludeText = includeText;
        _logger = logger;
        _open = open ?? ((path, append) => new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read));
    }

    public bool IncludeText { get; }

    /// <summary>Whether a failed write or close stopped the log.</summary>
    public bool Stopped { get; private set; }

    public void Open(string path, bool append)
    {
        lock (_gate)
        {
            Close();
            _path = path;
            Stopped = false;
            _writer = new StreamWriter(_open(path, append), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        }
    }

    public void Write(CallLogEntry entry)
    {
        var line = JsonSerializer.Serialize(entry, RunJson.Lines);
        lock (_gate)
        {
            if (_writer is null)
            {
                return;
            }

            try
            {
                // Flushed per line (to the OS, not to disk) so that the log of a run that dies stops at its last call.
                _writer.WriteLine(line);
                _writer.Flush();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Stop(ex);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close();
        }
    }

    private void Close()
    {
        var writer = _writer;
        _writer = null;
        if (writer is null)
        {
            return;
        }

        try
        {
            writer.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Stopped = true;
            RunLog.CallLogStopped(_logger, ex, _path ?? RunFolder.CallLogFileName);
        }
    }

    private void Stop(Exception error)
    {
        Stopped = true;
        RunLog.CallLogStopped(_logger, error, _path ?? RunFolder.CallLogFileName);
        var writer = _writer;
        _writer = null;
        try
        {
            // What the failed write left in the buffer would fail again; the stream is closed for what it holds.
            writer?.BaseStream.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Already reported: the log stopped with the write that failed.
        }
    }
}
