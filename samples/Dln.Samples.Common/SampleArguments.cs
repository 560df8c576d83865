using System.Globalization;

namespace DeepLanguageNetworks.Samples;

/// <summary>Reads the few <c>--name value</c> options of the small samples.</summary>
public static class SampleArguments
{
    /// <summary>The non-negative integer after <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="name">The option, for example <c>--iterations</c>.</param>
    /// <param name="fallback">The value when the option is absent.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The option is present without a non-negative integer; the message names it.</exception>
    public static int GetInt(string[] args, string name, int fallback)
    {
        ArgumentNullException.ThrowIfNull(args);
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return fallback;
        }

        return i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"{name} expects a non-negative integer.");
    }
}
