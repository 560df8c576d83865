using System.Globalization;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>Reads how long a server asks the client to wait before retrying.</summary>
internal static class RetryAfter
{
    /// <summary>
    /// Reads <c>retry-after-ms</c> / <c>x-ms-retry-after-ms</c> (milliseconds, sent by OpenAI and Azure OpenAI) or
    /// <c>Retry-After</c> (RFC 9110: delay in seconds or an HTTP-date).
    /// </summary>
    /// <param name="getHeader">Returns a response header's value by name (case-insensitive), or <see langword="null"/>.</param>
    /// <param name="now">The current time, to turn an HTTP-date into a delay.</param>
    /// <returns>The requested delay (never negative), or <see langword="null"/> when the response asks for none.</returns>
    public static TimeSpan? Read(Func<string, string?> getHeader, DateTimeOffset now)
    {
        foreach (var name in (ReadOnlySpan<string>)["retry-after-ms", "x-ms-retry-after-ms"])
        {
            if (double.TryParse(getHeader(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) &&
                double.IsFinite(milliseconds) && milliseconds >= 0)
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }
        }

        var value = getHeader("Retry-After")?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return double.IsFinite(seconds) && seconds >= 0 ? TimeSpan.FromSeconds(Math.Min(seconds, 86_400)) : null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date))
        {
            var delay = date - now;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }

        return null;
    }
}
