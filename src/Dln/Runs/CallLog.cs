using System.Text;
using System.Text.Json;

namespace DeepLanguageNetworks;

/// <summary>The writer of calls.jsonl: one JSON line per request, from any thread, each line flushed as it is written.</summary>
internal sealed class CallLog : IDisposable
{
    private readonly object _gate = new();
    private StreamWriter? _writer;

    public CallLog(bool includeText) => IncludeText = includeText;

    public bool IncludeText { get; }

    public void Open(string path, bool append)
    {
        lock (_gate)
        {
            _writer?.Dispose();
            var stream = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
            _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
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

            // Flushed per line (to the OS, not to disk) so that the log of a run that dies stops at its last call.
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }
}
