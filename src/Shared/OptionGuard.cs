using System.Globalization;

namespace DeepLanguageNetworks;

/// <summary>
/// The checks options classes run in their <c>init</c> accessors, so that every package rejects a bad value the same
/// way: an <see cref="ArgumentOutOfRangeException"/> (or <see cref="ArgumentNullException"/>) whose parameter name and
/// message name the option, give the value and say what was expected.
/// </summary>
/// <remarks>
/// One source file compiled into each package (linked from <c>src/Shared</c>), in the way dotnet/extensions shares its
/// throw helpers, rather than a public type: it is not part of any package's API.
/// </remarks>
internal static class OptionGuard
{
    /// <summary>Returns <paramref name="value"/> when it lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int InRange(int value, int min, int max, string name) =>
        value >= min && value <= max ? value : throw OutOfRange(name, value, $"between {min} and {max}");

    /// <summary>Returns <paramref name="value"/> when it is at least <paramref name="min"/>.</summary>
    public static int AtLeast(int value, int min, string name) =>
        value >= min ? value : throw OutOfRange(name, value, $"at least {min}");

    /// <summary>Returns <paramref name="value"/> when it is at least 1.</summary>
    public static int AtLeastOne(int value, string name) => AtLeast(value, 1, name);

    /// <summary>Returns <paramref name="value"/> when it is zero or more.</summary>
    public static int ZeroOrMore(int value, string name) =>
        value >= 0 ? value : throw OutOfRange(name, value, "zero or more");

    /// <summary>Returns <paramref name="value"/> when it lies in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static double Between(double value, double minimum, double maximum, string name) =>
        value >= minimum && value <= maximum ? value : throw OutOfRange(name, value, string.Create(CultureInfo.InvariantCulture, $"in [{minimum}, {maximum}]"));

    /// <summary>Returns <paramref name="value"/> when it is positive and finite.</summary>
    /// <summary>A share above 0 and at most 1 (<paramref name="oneAllowed"/>) or below 1.</summary>
    public static double Share(double value, string name, bool oneAllowed, string of = "") =>
        value > 0 && (oneAllowed ? value <= 1 : value < 1) ? value : throw OutOfRange(name, value, $"a share{of} above 0 and {(oneAllowed ? "at most" : "below")} 1");

    public static double PositiveFinite(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw OutOfRange(name, value, "positive and finite");

    /// <summary>Returns <paramref name="value"/> when it is zero or positive, and finite.</summary>
    public static double NonNegativeFinite(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw OutOfRange(name, value, "non-negative and finite");

    /// <summary>Returns <paramref name="value"/> when it is <see langword="null"/> or at least <paramref name="min"/>.</summary>
    public static int? AtLeastOrNull(int? value, int min, string name, string nullMeans) =>
        value is null || value >= min ? value : throw OutOfRange(name, value, $"at least {min}, or null {nullMeans}");

    /// <summary>Returns <paramref name="value"/> when it is <see langword="null"/> or positive.</summary>
    public static int? PositiveOrNull(int? value, string name, string nullMeans) =>
        value is null or > 0 ? value : throw OutOfRange(name, value, $"positive, or null {nullMeans}");

    /// <summary>Returns <paramref name="value"/> when it is a positive duration.</summary>
    public static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw OutOfRange(name, value, "a positive duration");

    /// <summary>Returns <paramref name="value"/> when it is <see langword="null"/> or a positive duration.</summary>
    public static TimeSpan? PositiveOrNull(TimeSpan? value, string name, string nullMeans) =>
        value is null || value > TimeSpan.Zero ? value : throw OutOfRange(name, value, $"a positive duration, or null {nullMeans}");

    /// <summary>Returns <paramref name="value"/> when it is <see langword="null"/> or holds more than white space.</summary>
    public static string? NotBlankOrNull(string? value, string name) =>
        value is null || !string.IsNullOrWhiteSpace(value) ? value : throw OutOfRange(name, value, "a non-empty name, or null for the default");

    /// <summary>Returns <paramref name="value"/> when it is not <see langword="null"/>.</summary>
    public static T NotNull<T>(T? value, string name)
        where T : class =>
        value ?? throw new ArgumentNullException(name, $"{name} must not be null.");

    /// <summary>The exception for an option outside its range.</summary>
    /// <param name="name">The option's name, also the exception's parameter name.</param>
    /// <param name="value">The value it was given.</param>
    /// <param name="expected">What it must be, for example "between 1 and 20".</param>
    /// <returns>The exception to throw.</returns>
    public static ArgumentOutOfRangeException OutOfRange(string name, object? value, string expected) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} must be {expected} (got {value ?? "null"})."));
}
