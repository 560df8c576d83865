using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks;

/// <summary>
/// Keeps the run folder of one training session (<see cref="TrainingRunOptions.RunDirectory"/>), as an observer of the
/// session: writes the configuration at the start, one history line per published report, the call log while calls
/// happen, and the curve and the report at the end. The session calls it from one thread, except the call log, which
/// is thread-safe.
/// </summary>
internal sealed class RunRecorder : TrainingObserver, IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly ILogger _logger;
    private readonly ITrainingCurveRenderer? _renderer;
    private readonly CallLog? _callLog;
    private FileStream? _history;
    private RunConfiguration? _configuration;

    /// <summary>Creates the recorder; nothing is written before <see cref="RunStartingAsync"/>.</summary>
    /// <param name="directory">The run folder.</param>
    /// <param name="options">The run settings.</param>
    /// <param name="logger">Receives what happens to the folder.</param>
    /// <param name="openCallLog">Opens calls.jsonl (path, append); a file by default (tests pass failing streams).</param>
    public RunRecorder(string directory, TrainingRunOptions options, ILogger logger, Func<string, bool, Stream>? openCallLog = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        _logger = logger;
        _renderer = options.TrainingCurveRenderer;
        _callLog = options.LogCalls ? new CallLog(options.LogCallText, logger, openCallLog) : null;
    }

    public string Directory { get; }

    public string CheckpointPath => File(RunFolder.CheckpointFileName);

    /// <summary>Adds the call log to a model pipeline (nothing without <see cref="TrainingRunOptions.LogCalls"/>).</summary>
    public void AddCallLog(LanguageModelBuilder builder)
    {
        if (_callLog is { } log)
        {
            builder.Use(inner => new CallLogLanguageModel(inner, log));
        }
    }

    /// <summary>
    /// Opens the folder. A fresh run replaces what an earlier run left there; a resumed run rewrites the history from
    /// its checkpoint, which drops the lines of iterations published after the checkpoint was written (they run again)
    /// and so never lists an iteration twice.
    /// </summary>
    public override async Task RunStartingAsync(TrainingRunInfo run, IReadOnlyList<TrainingProgress> history, CancellationToken cancellationToken)
    {
        var configuration = RunConfiguration.Create(run, DateTimeOffset.UtcNow);
        var resumed = run.ResumedFrom is not null;
        var ownsCheckpoint = run.Run.CheckpointPath is null;
        var ct = cancellationToken;
        _configuration = configuration;
        System.IO.Directory.CreateDirectory(Directory);
        var historyPath = File(RunFolder.HistoryFileName);
        if (!resumed && System.IO.File.Exists(historyPath))
        {
            RunLog.Replacing(_logger, Directory);
        }

        await AtomicFile.WriteAllTextAsync(File(RunFolder.ConfigFileName), JsonSerializer.Serialize(configuration, RunJson.Configuration), ct).ConfigureAwait(false);
        if (run.OverlongInputs.Count > 0)
        {
            var overlong = string.Concat(run.OverlongInputs.Select(o => JsonSerializer.Serialize(o, RunJson.Lines) + "\n"));
            await AtomicFile.WriteAllTextAsync(File(RunFolder.OverlongInputsFileName), overlong, ct).ConfigureAwait(false);
        }
        else
        {
            Delete(RunFolder.OverlongInputsFileName);
        }

        // The report and the curve describe a finished session; until this one finishes there are none.
        Delete(RunFolder.ReportFileName);
        Delete(RunFolder.TrainingCurveFileName);
        if (_renderer is not null)
        {
            Delete(CurveFileName(_renderer));
        }

        if (!resumed)
        {
            if (ownsCheckpoint)
            {
                Delete(RunFolder.CheckpointFileName);
            }

            if (_callLog is null)
            {
                Delete(RunFolder.CallLogFileName);
            }
        }

        var lines = new StringBuilder();
        foreach (var h in history)
        {
            lines.Append(RunFolder.ToLine(h)).Append('\n');
        }

        await AtomicFile.WriteAllTextAsync(historyPath, lines.ToString(), ct).ConfigureAwait(false);
        _history = new FileStream(historyPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        _callLog?.Open(File(RunFolder.CallLogFileName), append: resumed);
        RunLog.Recording(_logger, Directory, resumed);
    }

    /// <summary>Appends one report to history.jsonl and flushes it to disk.</summary>
    public override async Task PublishedAsync(TrainingProgress progress)
    {
        if (_history is null)
        {
            return;
        }

        var line = Utf8.GetBytes(RunFolder.ToLine(progress) + "\n");
        // Not cancellable: a line cut in half would spoil the file, and writing one is quick.
        await _history.WriteAsync(line, CancellationToken.None).ConfigureAwait(false);
        await _history.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        _history.Flush(flushToDisk: true);
    }

    /// <summary>Draws the curve and writes the report. A curve that cannot be drawn is logged and mentioned, never fatal.</summary>
    public override async Task RunCompletedAsync(TrainingResult result)
    {
        if (_configuration is null)
        {
            return;
        }

        string? curve = null, curveError = null;
        if (_renderer is not null)
        {
            var name = CurveFileName(_renderer);
            try
            {
                var image = _renderer.Render(result.History);
                await AtomicFile.WriteAllBytesAsync(File(name), image, CancellationToken.None).ConfigureAwait(false);
                curve = name;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The curve is a convenience: the numbers are in history.jsonl, and a missing font or native library
                // must not cost the caller the result of a finished run.
                RunLog.CurveFailed(_logger, ex, File(name));
                curveError = $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        var reportPath = File(RunFolder.ReportFileName);
        await AtomicFile.WriteAllTextAsync(reportPath, RunReport.Build(result, _configuration, curve, curveError), CancellationToken.None).ConfigureAwait(false);
        RunLog.ReportWritten(_logger, reportPath);
    }

    /// <summary>
    /// Closes the files. Never throws for a file that cannot be closed (it is logged, event id 1506): disposal runs
    /// while the error that ended a run propagates, and must not replace it.
    /// </summary>
    public void Dispose()
    {
        var history = _history;
        _history = null;
        try
        {
            history?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RunLog.CloseFailed(_logger, ex, File(RunFolder.HistoryFileName));
        }

        // The call log reports its own failures.
        _callLog?.Dispose();
    }

    private static string CurveFileName(ITrainingCurveRenderer renderer)
    {
        var name = renderer.FileName;
        if (string.IsNullOrWhiteSpace(name) || Path.GetFileName(name) != name)
        {
            throw new InvalidOperationException($"The training curve renderer {renderer.GetType().Name} names the file '{name}'; expected a plain file name such as '{RunFolder.TrainingCurveFileName}'.");
        }

        return name;
    }

    private string File(string name) => Path.Combine(Directory, name);

    private void Delete(string name)
    {
        var path = File(name);
        if (System.IO.File.Exists(path))
        {
            System.IO.File.Delete(path);
        }
    }
}
