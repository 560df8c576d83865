using System.Globalization;

namespace DeepLanguageNetworks.Benchmarks;

/// <summary>The <c>--name value</c> options that follow a benchmark command.</summary>
internal sealed class BenchmarkArguments
{
    private readonly Dictionary<string, string> _values;

    private BenchmarkArguments(Dictionary<string, string> values) => _values = values;

    public static BenchmarkArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        return new BenchmarkArguments(values);
    }

    public int GetInt(string name, int defaultValue)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{name} expects a positive integer, got '{text}'.");
    }

    public double GetDouble(string name, double defaultValue)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"--{name} expects a number, got '{text}'.");
    }

    public string? GetString(string name) => _values.GetValueOrDefault(name);
}
