using System.Globalization;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>Reading the delay a server asks for.</summary>
public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Retry-After", "7", 7000)]
    [InlineData("Retry-After", "0", 0)]
    [InlineData("Retry-After", "1.5", 1500)]
    [InlineData("retry-after-ms", "250", 250)]
    [InlineData("x-ms-retry-after-ms", "40", 40)]
    [InlineData("Retry-After", "Sun, 01 Mar 2026 12:00:09 GMT", 9000)]
    [InlineData("Retry-After", "Sun, 01 Mar 2026 11:59:00 GMT", 0)]
    public void Reads_seconds_milliseconds_and_HTTP_dates(string header, string value, int expectedMilliseconds)
    {
        var delay = RetryAfter.Read(name => string.Equals(name, header, StringComparison.OrdinalIgnoreCase) ? value : null, Now);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), delay);
    }

    [Fact]
    public void Milliseconds_take_precedence_over_seconds()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Retry-After"] = "10", ["retry-after-ms"] = "20" };

        Assert.Equal(TimeSpan.FromMilliseconds(20), RetryAfter.Read(n => headers.GetValueOrDefault(n), Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void Missing_or_invalid_values_ask_for_no_particular_delay(string? value) =>
        Assert.Null(RetryAfter.Read(n => n == "Retry-After" ? value : null, Now));

    [Fact]
    public void An_HTTP_date_round_trips_through_the_standard_format()
    {
        var date = Now.AddSeconds(30).ToString("r", CultureInfo.InvariantCulture);

        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Read(n => n == "Retry-After" ? date : null, Now));
    }
}
