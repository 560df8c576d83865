namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>Options reject bad values when they are set, naming the option.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void Chat_options_reject_out_of_range_values_naming_the_option()
    {
        Assert.Throws<ArgumentOutOfRangeException>("AttemptTimeout", () => new OpenAIChatLanguageModelOptions { Retry = new() { AttemptTimeout = TimeSpan.Zero } });
        Assert.Throws<ArgumentOutOfRangeException>("MaxRetryAttempts", () => new OpenAIChatLanguageModelOptions { Retry = new() { MaxRetryAttempts = -1 } });
        Assert.Throws<ArgumentOutOfRangeException>("MaxRetryAttempts", () => new OpenAIChatLanguageModelOptions { Retry = new() { MaxRetryAttempts = 101 } });
        Assert.Throws<ArgumentOutOfRangeException>("BaseDelay", () => new OpenAIChatLanguageModelOptions { Retry = new() { BaseDelay = TimeSpan.FromSeconds(-1) } });
        Assert.Throws<ArgumentOutOfRangeException>("MaxDelay", () => new OpenAIChatLanguageModelOptions { Retry = new() { MaxDelay = TimeSpan.Zero } });
        Assert.Throws<ArgumentNullException>("Retry", () => new OpenAIChatLanguageModelOptions { Retry = null! });
        Assert.Throws<ArgumentOutOfRangeException>("MaxConcurrency", () => new OpenAIChatLanguageModelOptions { MaxConcurrency = 0 });
        Assert.Throws<ArgumentOutOfRangeException>("ContextLength", () => new OpenAIChatLanguageModelOptions { ContextLength = 0 });
        Assert.Throws<ArgumentOutOfRangeException>("MaxTopLogProbabilities", () => new OpenAIChatLanguageModelOptions { MaxTopLogProbabilities = 21 });
        Assert.Throws<ArgumentOutOfRangeException>("MaxTopLogProbabilities", () => new OpenAIChatLanguageModelOptions { MaxTopLogProbabilities = 0 });
        Assert.Throws<ArgumentOutOfRangeException>("ProviderName", () => new OpenAIChatLanguageModelOptions { ProviderName = " " });
    }

    [Fact]
    public void Completions_options_reject_out_of_range_values_naming_the_option()
    {
        Assert.Throws<ArgumentOutOfRangeException>("EchoMaxTokens", () => new CompletionsScoringModelOptions { EchoMaxTokens = 2 });
        Assert.Throws<ArgumentOutOfRangeException>("MaxTopLogProbabilities", () => new CompletionsScoringModelOptions { MaxTopLogProbabilities = 0 });
        Assert.Throws<ArgumentOutOfRangeException>("AttemptTimeout", () => new CompletionsScoringModelOptions { Retry = new() { AttemptTimeout = TimeSpan.FromSeconds(-3) } });
        Assert.Throws<ArgumentOutOfRangeException>("ProviderName", () => new CompletionsScoringModelOptions { ProviderName = "" });
        var inconsistent = new CompletionsScoringModelOptions { Retry = new() { BaseDelay = TimeSpan.FromMinutes(2), MaxDelay = TimeSpan.FromMinutes(1) } };
        var error = Assert.Throws<ArgumentOutOfRangeException>("MaxDelay", () => new CompletionsScoringModel(new Uri("http://127.0.0.1:9/v1"), "m", options: inconsistent));
        Assert.Contains("BaseDelay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var chat = new OpenAIChatLanguageModelOptions();
        Assert.Equal(TimeSpan.FromSeconds(100), chat.Retry.AttemptTimeout);
        Assert.Equal(3, chat.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), chat.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), chat.Retry.MaxDelay);
        Assert.Equal(16, chat.MaxConcurrency);
        Assert.Equal(20, chat.MaxTopLogProbabilities);
        Assert.True(chat.LogProbabilities);
        Assert.Null(chat.SendLegacyMaxTokens);

        var completions = new CompletionsScoringModelOptions();
        Assert.Equal(ContinuationScoringMode.Echo, completions.ScoringMode);
        Assert.Equal(1, completions.EchoMaxTokens);
        Assert.Equal(20, completions.MaxTopLogProbabilities);
    }
}
