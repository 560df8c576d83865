using System.Globalization;

namespace DeepLanguageNetworks.Samples;

/// <summary>Prints one line per training report, synchronously (so lines never interleave or arrive out of order).</summary>
public sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    private readonly TextWriter _writer;

    /// <summary>Prints to <paramref name="writer"/>, or to standard output.</summary>
    /// <param name="writer">Where to print.</param>
    public ConsoleProgress(TextWriter? writer = null) => _writer = writer ?? Console.Out;

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _writer.WriteLine(Format(value));
    }

    /// <summary>One line describing a report.</summary>
    /// <param name="p">The report.</param>
    /// <returns>The line.</returns>
    public static string Format(TrainingProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string> { string.Format(c, "iteration {0,2}/{1}", p.Iteration, p.TotalIterations) };
        if (p.BatchAccuracy is { } batch)
        {
            parts.Add(string.Format(c, "batch acc {0:P0}", batch));
        }

        if (p.TrainLoss is { } loss)
        {
            parts.Add(string.Format(c, "loss {0:F3}", loss));
        }

        if (p.Elbo is { } elbo)
        {
            parts.Add(string.Format(c, "elbo {0:F3}", elbo));
        }

        if (p.DevAccuracy is { } dev)
        {
            parts.Add(string.Format(c, "dev acc {0:P1}", dev));
        }

        if (p.Skipped)
        {
            parts.Add(p.Error is null ? "update skipped" : "failed: " + p.Error);
        }

        parts.Add(string.Format(c, "calls {0:N0}, tokens {1:N0}", p.Calls, p.Tokens));
        var chosen = p.Updates.Count > 0 ? " | " + string.Join(" | ", p.Updates.Select(u => $"L{u.Layer} {u.SelectedOrigin.ToString().ToLowerInvariant()}: \"{Abbreviate(u.SelectedPrompt)}\"")) : string.Empty;
        return string.Join(", ", parts) + chosen;
    }

    private static string Abbreviate(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= 60 ? oneLine : oneLine[..57] + "...";
    }
}
