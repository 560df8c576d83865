using System.Globalization;
using DeepLanguageNetworks.Plotting;

namespace DeepLanguageNetworks.Samples;

/// <summary>
/// Where a sample keeps the record of its run (<see cref="TrainingRunOptions.RunDirectory"/>): by default a new folder
/// <c>runs/&lt;sample&gt;-&lt;yyyyMMdd-HHmmss&gt;</c> under the current directory, holding <c>config.json</c>,
/// <c>history.jsonl</c>, <c>report.md</c> and <c>training-curve.png</c>. <c>--run-folder PATH</c> picks the folder,
/// <c>--no-run-folder</c> (or <c>DLN_RUN_FOLDER=off</c>) keeps none.
/// </summary>
public static class SampleRunFolder
{
    /// <summary>The flag that turns the run folder off.</summary>
    public const string NoRunFolderFlag = "--no-run-folder";

    /// <summary>The option that names the run folder.</summary>
    public const string RunFolderOption = "--run-folder";

    /// <summary>The environment variable that turns the run folder off (<c>off</c>) or names its parent folder.</summary>
    public const string EnvironmentVariable = "DLN_RUN_FOLDER";

    /// <summary>The run folder of this sample run, or <see langword="null"/> when turned off.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="sample">A short name of the sample, for example <c>quickstart</c>.</param>
    /// <param name="now">The start time (for the folder name); <see langword="null"/> for now.</param>
    /// <param name="getVariable">Reads environment variables (tests pass their own).</param>
    /// <returns>The full path.</returns>
    /// <exception cref="ArgumentException"><c>--run-folder</c> without a path.</exception>
    public static string? Choose(string[] args, string sample, DateTimeOffset? now = null, Func<string, string?>? getVariable = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentException.ThrowIfNullOrWhiteSpace(sample);
        getVariable ??= Environment.GetEnvironmentVariable;
        if (args.Contains(NoRunFolderFlag))
        {
            return null;
        }

        var i = Array.IndexOf(args, RunFolderOption);
        if (i >= 0)
        {
            return i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? Path.GetFullPath(args[i + 1])
                : throw new ArgumentException($"{RunFolderOption} expects a folder path (or use {NoRunFolderFlag} to keep none).");
        }

        var variable = getVariable(EnvironmentVariable)?.Trim();
        if (string.Equals(variable, "off", StringComparison.OrdinalIgnoreCase) || string.Equals(variable, "none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var parent = string.IsNullOrEmpty(variable) ? Path.Combine(Environment.CurrentDirectory, "runs") : variable;
        var stamp = (now ?? DateTimeOffset.Now).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return Path.GetFullPath(Path.Combine(parent, $"{sample}-{stamp}"));
    }

    /// <summary>Run settings that keep the run folder with its report and training curve (or none when <paramref name="runDirectory"/> is null).</summary>
    /// <param name="runDirectory">The folder from <see cref="Choose"/>.</param>
    /// <param name="run">Other run settings to keep.</param>
    /// <returns>The settings.</returns>
    public static TrainingRunOptions Apply(string? runDirectory, TrainingRunOptions? run = null)
    {
        run ??= new TrainingRunOptions();
        return runDirectory is null ? run : run with { RunDirectory = runDirectory, TrainingCurveRenderer = new ScottPlotTrainingCurveRenderer() };
    }

    /// <summary>The closing line about the run folder.</summary>
    /// <param name="runDirectory">The folder, or null.</param>
    /// <returns>The line.</returns>
    public static string Summary(string? runDirectory) => runDirectory is null
        ? $"run folder: none ({NoRunFolderFlag})"
        : $"run folder: {runDirectory} (report.md, training-curve.png, history.jsonl; {NoRunFolderFlag} to keep none)";
}
