namespace DeepLanguageNetworks;

// The range checks of the options records, in one place so that every option fails the same way: an
// ArgumentOutOfRangeException whose ParamName and message name the option and say what was expected.
internal static class OptionGuard
{
    public static int AtLeastOne(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");

    public static int ZeroOrMore(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be zero or more.");

    public static double Between(double value, double minimum, double maximum, string name) =>
        value >= minimum && value <= maximum ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{minimum}, {maximum}].");

    public static double PositiveFinite(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");

    public static double NonNegativeFinite(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative.");
}
