namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// What a real backend does with a generation's stop sequences, for the simulated worlds (the scripted one here, the
/// learnable one of the benchmarks, which links this file): the text is cut before the earliest one.
/// </summary>
internal static class StopSequences
{
    public static string Cut(string text, IReadOnlyList<string> stops)
    {
        var cut = text.Length;
        foreach (var stop in stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && at < cut)
            {
                cut = at;
            }
        }

        return text[..cut];
    }
}
