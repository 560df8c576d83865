namespace DeepLanguageNetworks;

/// <summary>Helpers for the "Options:" block that multiple-choice inputs end with.</summary>
public static class OptionsBlock
{
    /// <summary>The marker line that starts the options block.</summary>
    public const string Marker = "Options:";

    /// <summary>Cuts <paramref name="input"/> at the first "Options:" and trims it; returns the input unchanged when there is none.</summary>
    /// <param name="input">A task input.</param>
    /// <returns>The input without its options block.</returns>
    public static string Strip(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var index = input.IndexOf(Marker, StringComparison.Ordinal);
        return index < 0 ? input : input[..index].Trim();
    }
}
