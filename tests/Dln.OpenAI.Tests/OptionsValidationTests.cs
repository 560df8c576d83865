namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>Options reject bad values when they are set, naming the option.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void Chat_options_reject_out_of_range_values_naming_the_option()
    {
        Assert.Throws<ArgumentOutOfRangeException>("Timeout", () => new OpenAIChatLanguageModelOptions { Timeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>("MaxRetries", () => new OpenAIChatLanguageModelOptions { MaxRetries = -1 });
        Assert.Throws<ArgumentOutOfRangeException>("MaxRetries", () => new OpenAIChatLanguageModelOptions { MaxRetries = 21 });
        Assert.Throws<ArgumentOutOfRangeException>("RetryBaseDelay", () => new OpenAIChatLanguageModelOptions { RetryBaseDelay = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>("MaxRetryDelay", () => new OpenAIChatLanguageModelOptions { MaxRetryDelay = TimeSpan.Zero });
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
        Assert.Throws<ArgumentOutOfRangeException>("Timeout", () => new CompletionsScoringModelOptions { Timeout = TimeSpan.FromSeconds(-3) });
        var inconsistent = new CompletionsScoringModelOptions { RetryBaseDelay = TimeSpan.FromMinutes(2), MaxRetryDelay = TimeSpan.FromMinutes(1) };
        Assert.Throws<ArgumentOutOfRangeException>("MaxRetryDelay", () => new CompletionsScoringModel(new Uri("http://127.0.0.1:9/v1"), "m", options: inconsistent));
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var chat = new OpenAIChatLanguageModelOptions();
        Assert.Equal(TimeSpan.FromSeconds(100), chat.Timeout);
        Assert.Equal(3, chat.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), chat.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), chat.MaxRetryDelay);
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
