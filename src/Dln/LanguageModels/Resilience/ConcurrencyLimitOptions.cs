using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>Settings of the concurrency-limit decorator (<c>builder.UseConcurrencyLimit(…)</c>). Validated when set.</summary>
public sealed record ConcurrencyLimitOptions
{
    private readonly int? _maxConcurrency;
    private readonly int? _requestsPerMinute;
    private readonly int? _tokensPerMinute;
    private readonly TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>
    /// The most calls in flight at once, or <see langword="null"/> (the default) to use the backend's
    /// <see cref="LanguageModelCapabilities.DefaultMaxConcurrency"/> (1 for an in-process model, 16 for hosted
    /// endpoints). Further calls wait in order of arrival. Must be positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public int? MaxConcurrency
    {
        get => _maxConcurrency;
        init => _maxConcurrency = OptionGuard.PositiveOrNull(value, nameof(MaxConcurrency), "for the backend's default");
    }

    /// <summary>
    /// The most calls started per minute, or <see langword="null"/> (the default) for no limit. Calls are spread
    /// evenly: at most one second's worth (at least one call) starts in a burst. Must be positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public int? RequestsPerMinute
    {
        get => _requestsPerMinute;
        init => _requestsPerMinute = OptionGuard.PositiveOrNull(value, nameof(RequestsPerMinute), "for no limit");
    }

    /// <summary>
    /// The most tokens sent and requested per minute, or <see langword="null"/> (the default) for no limit. A call is
    /// charged before it starts with an estimate, as hosted APIs do: its input at four characters per token, plus its
    /// <see cref="GenerationRequest.MaxTokens"/> for generation (one token for next-token and continuation scoring).
    /// Must be positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public int? TokensPerMinute
    {
        get => _tokensPerMinute;
        init => _tokensPerMinute = OptionGuard.PositiveOrNull(value, nameof(TokensPerMinute), "for no limit");
    }

    /// <summary>The clock of the rate limits; <see cref="TimeProvider.System"/> by default. Tests pass a fake clock.</summary>
    [JsonIgnore]
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        init => _timeProvider = OptionGuard.NotNull(value, nameof(TimeProvider));
    }
}
