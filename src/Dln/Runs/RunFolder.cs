using System.Text.Json;

namespace DeepLanguageNetworks;

/// <summary>
/// The files of a run folder (<see cref="TrainingRunOptions.RunDirectory"/>) and helpers to read a run back.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>config.json</c></term><description>Settings, network shape, initial prompts, model ids and endpoints. Never credentials.</description></item>
/// <item><term><c>checkpoint.json</c></term><description>The state to resume from (<see cref="TrainingCheckpoint"/>).</description></item>
/// <item><term><c>history.jsonl</c></term><description>One <see cref="TrainingProgress"/> per line, camel-case JSON: iteration 0 (the initial
/// validation) then one line per iteration, written and flushed as each is published. A resumed run rewrites it from
/// its checkpoint, so no iteration appears twice.</description></item>
/// <item><term><c>calls.jsonl</c></term><description>With <see cref="TrainingRunOptions.LogCalls"/>: one line per request.</description></item>
/// <item><term><c>overlong-inputs.jsonl</c></term><description>Train and dev examples whose input cannot fit the context window, skipped or
/// truncated (<see cref="TrainingRunOptions.OverlongInputs"/>): one <see cref="OverlongInput"/> per line, written when the run starts.</description></item>
/// <item><term><c>report.md</c></term><description>Written when training ends: results, usage per role, best prompts, one row per iteration.</description></item>
/// <item><term><c>training-curve.png</c></term><description>Written when training ends by <see cref="TrainingRunOptions.TrainingCurveRenderer"/>.</description></item>
/// </list>
/// </remarks>
public static class RunFolder
{
    /// <summary>The settings of the run.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The checkpoint, when <see cref="TrainingRunOptions.CheckpointPath"/> does not name another file.</summary>
    public const string CheckpointFileName = "checkpoint.json";

    /// <summary>One JSON line per iteration.</summary>
    public const string HistoryFileName = "history.jsonl";

    /// <summary>One JSON line per language model request.</summary>
    public const string CallLogFileName = "calls.jsonl";

    /// <summary>One JSON line per train or dev example found too long for the context window before the first call (<see cref="OverlongInput"/>); absent when there is none.</summary>
    public const string OverlongInputsFileName = "overlong-inputs.jsonl";

    /// <summary>The final report, in Markdown.</summary>
    public const string ReportFileName = "report.md";

    /// <summary>The usual name of the training curve picture.</summary>
    public const string TrainingCurveFileName = "training-curve.png";

    /// <summary>Reads the per-iteration reports of a run from its <c>history.jsonl</c>.</summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <returns>The reports, in file order.</returns>
    /// <exception cref="FileNotFoundException">The folder has no history file.</exception>
    /// <exception cref="InvalidDataException">A line is not a valid report; the message names the file and the line.</exception>
    /// <remarks>A last line without its line break (a write cut short when the process died) is ignored.</remarks>
    public static IReadOnlyList<TrainingProgress> ReadHistory(string runDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        var path = Path.Combine(runDirectory, HistoryFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No training history at '{path}'.", path);
        }

        var text = File.ReadAllText(path);
        var lines = text.Split('\n');
        // Split leaves the text after the last line break last: empty for a complete file, a torn line otherwise.
        var history = new List<TrainingProgress>(lines.Length);
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            history.Add(ParseLine(line, path, i + 1));
        }

        return history;
    }

    /// <summary>Loads the checkpoint of a run folder, to continue it with <see cref="VariationalTrainer.ResumeAsync"/>.</summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="FileNotFoundException">The folder has no checkpoint.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is truncated, malformed or from a newer version.</exception>
    public static Task<TrainingCheckpoint> LoadCheckpointAsync(string runDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        return TrainingCheckpoint.LoadAsync(Path.Combine(runDirectory, CheckpointFileName), cancellationToken);
    }

    internal static string ToLine(TrainingProgress progress) => JsonSerializer.Serialize(progress, RunJson.Lines);

    private static TrainingProgress ParseLine(string line, string path, int lineNumber)
    {
        TrainingProgress? progress;
        try
        {
            progress = JsonSerializer.Deserialize<TrainingProgress>(line, RunJson.Lines);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' line {lineNumber} is not a training report: {ex.Message}", ex);
        }

        if (progress?.Prompts is null || progress.Prompts.Any(p => p is null))
        {
            throw new InvalidDataException($"'{path}' line {lineNumber} is not a training report: 'prompts' is missing or holds null.");
        }

        return progress;
    }
}
