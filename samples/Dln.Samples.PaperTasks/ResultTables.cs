using System.Globalization;
using System.Text;

namespace DeepLanguageNetworks.Samples.Benchmark;

/// <summary>
/// The two tables of the benchmark: test accuracy per task and method (mean ± standard deviation over the seeds, in
/// percent), and the cost per method (mean calls and tokens per run, training and test apart).
/// </summary>
internal sealed class ResultTables
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private ResultTables(IReadOnlyList<string[]> accuracy, IReadOnlyList<string[]> withoutDevInputs, IReadOnlyList<string[]> cost)
    {
        Accuracy = accuracy;
        WithoutDevInputs = withoutDevInputs;
        Cost = cost;
    }

    /// <summary>Header row, then one row per task: the task id and one cell per method.</summary>
    public IReadOnlyList<string[]> Accuracy { get; }

    /// <summary>
    /// Header row, then one row per task whose test set shares inputs with its dev set (Ordered-Prompt): the test
    /// accuracy on the other items. Only the header when no task has such an overlap.
    /// </summary>
    public IReadOnlyList<string[]> WithoutDevInputs { get; }

    /// <summary>Header row, then one row per method.</summary>
    public IReadOnlyList<string[]> Cost { get; }

    /// <summary>Builds the tables from the outcomes of the runs.</summary>
    /// <param name="outcomes">Every run's outcome.</param>
    /// <param name="tasks">Row order.</param>
    /// <param name="methods">Column order.</param>
    /// <returns>The tables.</returns>
    public static ResultTables Build(IReadOnlyList<RunOutcome> outcomes, IReadOnlyList<TaskDefinition> tasks, IReadOnlyList<Method> methods)
    {
        List<string[]> accuracy = [["task", .. methods.Select(m => m.Name)]];
        foreach (var task in tasks)
        {
            accuracy.Add([task.Id, .. methods.Select(m => AccuracyCell(outcomes.Where(o => o.Task == task.Id && o.Method == m.Name).ToArray()))]);
        }

        List<string[]> withoutDevInputs = [["task", "dev inputs in test", .. methods.Select(m => m.Name)]];
        foreach (var task in tasks)
        {
            var overlapping = outcomes.Where(o => o.Task == task.Id && o.TestAccuracyWithoutDevInputs is not null).ToArray();
            if (overlapping.Length > 0)
            {
                withoutDevInputs.Add(
                [
                    task.Id,
                    overlapping.Max(o => o.DevInputsInTest).ToString(Invariant),
                    .. methods.Select(m => AccuracyCell(overlapping.Where(o => o.Method == m.Name).Select(o => o with { TestAccuracy = o.TestAccuracyWithoutDevInputs }).ToArray())),
                ]);
            }
        }

        List<string[]> cost = [["method", "runs", "train calls", "train tokens", "test calls", "test tokens"]];
        foreach (var method in methods)
        {
            var done = outcomes.Where(o => o.Method == method.Name && o.Status == RunStatus.Completed).ToArray();
            cost.Add(done.Length == 0
                ? [method.Name, "0", "-", "-", "-", "-"]
                :
                [
                    method.Name,
                    done.Length.ToString(Invariant),
                    Mean(done, o => o.TrainCalls),
                    Mean(done, o => o.TrainTokens),
                    Mean(done, o => o.TestCalls),
                    Mean(done, o => o.TestTokens),
                ]);
        }

        return new ResultTables(accuracy, withoutDevInputs, cost);
    }

    /// <summary>Both tables as Markdown, columns aligned so that the text reads well in a terminal or a log too.</summary>
    /// <returns>The text.</returns>
    public string ToMarkdown() =>
        "Test accuracy (%), mean ± std over run seeds (data seed 42 for all)\n\n" + Markdown(Accuracy) +
        (WithoutDevInputs.Count > 1
            ? "\nTest accuracy (%) without the test items that are also dev inputs (the paper's numbers include them)\n\n" + Markdown(WithoutDevInputs)
            : string.Empty) +
        "\nCost per run (mean over completed runs; calls exclude cache hits)\n\n" + Markdown(Cost);

    private static string AccuracyCell(RunOutcome[] runs)
    {
        if (runs.Length == 0)
        {
            return "-";
        }

        var done = runs.Where(r => r.Status == RunStatus.Completed && r.TestAccuracy is not null).Select(r => r.TestAccuracy!.Value).ToArray();
        if (done.Length == 0)
        {
            return runs.All(r => r.Status == RunStatus.NotSupported) ? "n/a" : "failed";
        }

        var (mean, std) = EvaluationResult.MeanAndStandardDeviation(done);
        var cell = string.Format(Invariant, "{0:F1} ± {1:F1}", 100 * mean, 100 * std);
        return done.Length == runs.Length ? cell : $"{cell} ({done.Length}/{runs.Length} runs)";
    }

    private static string Mean(RunOutcome[] runs, Func<RunOutcome, long> value) =>
        runs.Average(r => (double)value(r)).ToString("N0", Invariant);

    private static string Markdown(IReadOnlyList<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        void Row(IEnumerable<string> cells) => text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        Row(rows[0].Select((cell, c) => cell.PadRight(widths[c])));
        Row(widths.Select((w, c) => c == 0 ? new string('-', w) : new string('-', w - 1) + ":"));
        foreach (var row in rows.Skip(1))
        {
            Row(row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c])));
        }

        return text.ToString();
    }
}
