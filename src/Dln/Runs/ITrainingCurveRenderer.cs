namespace DeepLanguageNetworks;

/// <summary>
/// Draws a run's training curve for its run folder (<see cref="TrainingRunOptions.TrainingCurveRenderer"/>).
/// The core library has no drawing code, so that it carries no graphics libraries; the Dln.Plotting package
/// implements this with ScottPlot.
/// </summary>
public interface ITrainingCurveRenderer
{
    /// <summary>The name of the file written in the run folder, for example <c>training-curve.png</c>.</summary>
    string FileName { get; }

    /// <summary>Draws the curve of a run.</summary>
    /// <param name="history">The run's reports, in order: iteration 0 (the initial validation, when measured) then one per iteration.</param>
    /// <returns>The file's content.</returns>
    byte[] Render(IReadOnlyList<TrainingProgress> history);
}
