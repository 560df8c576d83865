namespace DeepLanguageNetworks.Tests;

/// <summary>Retry options checked as a whole: the cross-field rule fails before the first call, naming both options.</summary>
public class RetryOptionsValidationTests
{
    [Fact]
    public void A_base_delay_longer_than_the_maximum_delay_is_refused_naming_both()
    {
        var options = new LanguageModelRetryOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(2) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal("MaxDelay", error.ParamName);
        Assert.Contains("MaxDelay must be at least BaseDelay (00:00:10)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_retry_decorator_checks_its_options_when_built()
    {
        var options = new LanguageModelRetryOptions { BaseDelay = TimeSpan.FromMinutes(2) };
        var backend = new CountingLanguageModel();

        Assert.Throws<ArgumentOutOfRangeException>("MaxDelay", () => new RetryingLanguageModel(backend, options));
        Assert.Throws<ArgumentOutOfRangeException>("MaxDelay", () => backend.AsBuilder().UseRetry(options).Build());
        Assert.Equal(0, backend.Started);
    }

    [Fact]
    public void Consistent_options_pass_whatever_the_order_they_were_set_in()
    {
        new LanguageModelRetryOptions { MaxDelay = TimeSpan.FromMilliseconds(500), BaseDelay = TimeSpan.FromMilliseconds(100) }.Validate();
        new LanguageModelRetryOptions { BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(5) }.Validate();
        (new LanguageModelRetryOptions() with { MaxRetryAttempts = 0 }).Validate();
    }

    [Fact]
    public void Retry_options_round_trip_through_JSON_without_their_code_members()
    {
        var options = new LanguageModelRetryOptions { MaxRetryAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(250), AttemptTimeout = TimeSpan.FromSeconds(30), UseJitter = false };

        var json = System.Text.Json.JsonSerializer.Serialize(options);
        var back = System.Text.Json.JsonSerializer.Deserialize<LanguageModelRetryOptions>(json)!;

        Assert.DoesNotContain("IsTransient", json, StringComparison.Ordinal);
        Assert.DoesNotContain("TimeProvider", json, StringComparison.Ordinal);
        Assert.Equal(options, back);
    }
}
