namespace DeepLanguageNetworks.Tests;

/// <summary>The one error model: what is transient, what is permanent, and how HTTP statuses are classified.</summary>
public class LanguageModelExceptionTests
{
    [Theory]
    [InlineData(LanguageModelErrorKind.Unknown, false, false)]
    [InlineData(LanguageModelErrorKind.Authentication, false, true)]
    [InlineData(LanguageModelErrorKind.BadRequest, false, false)]
    [InlineData(LanguageModelErrorKind.ContextLengthExceeded, false, false)]
    [InlineData(LanguageModelErrorKind.NotFound, false, true)]
    [InlineData(LanguageModelErrorKind.LogProbabilitiesNotSupported, false, true)]
    [InlineData(LanguageModelErrorKind.RateLimited, true, false)]
    [InlineData(LanguageModelErrorKind.ServerError, true, false)]
    [InlineData(LanguageModelErrorKind.Timeout, true, false)]
    [InlineData(LanguageModelErrorKind.Network, true, false)]
    [InlineData(LanguageModelErrorKind.MalformedResponse, false, false)]
    public void Each_kind_says_whether_it_is_transient_or_permanent(LanguageModelErrorKind kind, bool transient, bool permanent)
    {
        var error = new LanguageModelException("x") { Kind = kind };

        Assert.Equal(transient, error.IsTransient);
        Assert.Equal(permanent, error.IsPermanent);
        Assert.False(transient && permanent);
    }

    [Fact]
    public void A_backend_that_already_retried_can_mark_a_transient_kind_as_not_to_be_retried_again()
    {
        var exhausted = new LanguageModelException("HTTP 503 after 4 attempts") { Kind = LanguageModelErrorKind.ServerError, IsTransient = false, Attempts = 4 };

        Assert.False(exhausted.IsTransient);
        Assert.False(LanguageModelRetryOptions.IsTransientByDefault(exhausted));
        Assert.True(LanguageModelRetryOptions.IsTransientByDefault(new LanguageModelException("503") { Kind = LanguageModelErrorKind.ServerError }));
        Assert.False(LanguageModelRetryOptions.IsTransientByDefault(new LanguageModelException("too long") { Kind = LanguageModelErrorKind.ContextLengthExceeded }));
    }

    [Fact]
    public async Task The_retry_decorator_retries_exactly_what_IsTransient_says()
    {
        var transientThenOk = new CountingLanguageModel { FailOn = n => n == 1 ? new LanguageModelException("503") { Kind = LanguageModelErrorKind.ServerError } : null };
        var exhausted = new CountingLanguageModel { FailOn = _ => new LanguageModelException("503") { Kind = LanguageModelErrorKind.ServerError, IsTransient = false } };
        var fast = new LanguageModelRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), UseJitter = false };
        using var retried = new RetryingLanguageModel(transientThenOk, fast);
        using var notRetried = new RetryingLanguageModel(exhausted, fast);

        await retried.GenerateAsync(new GenerationRequest("Q"));
        await Assert.ThrowsAsync<LanguageModelException>(() => notRetried.GenerateAsync(new GenerationRequest("Q")));

        Assert.Equal(2, transientThenOk.Started);
        Assert.Equal(1, exhausted.Started);
    }

    [Theory]
    [InlineData(401, null, null, LanguageModelErrorKind.Authentication)]
    [InlineData(403, null, null, LanguageModelErrorKind.Authentication)]
    [InlineData(404, null, null, LanguageModelErrorKind.NotFound)]
    [InlineData(408, null, null, LanguageModelErrorKind.Timeout)]
    [InlineData(429, null, null, LanguageModelErrorKind.RateLimited)]
    [InlineData(500, null, null, LanguageModelErrorKind.ServerError)]
    [InlineData(503, null, null, LanguageModelErrorKind.ServerError)]
    [InlineData(400, "context_length_exceeded", "Please reduce the length of the messages.", LanguageModelErrorKind.ContextLengthExceeded)]
    [InlineData(400, null, "This model's maximum context length is 4096 tokens.", LanguageModelErrorKind.ContextLengthExceeded)]
    [InlineData(413, null, "the request exceeds the context size", LanguageModelErrorKind.ContextLengthExceeded)]
    [InlineData(400, "invalid_value", "Invalid value for 'temperature'.", LanguageModelErrorKind.BadRequest)]
    [InlineData(422, null, null, LanguageModelErrorKind.BadRequest)]
    public void HTTP_statuses_map_to_kinds(int status, string? code, string? message, LanguageModelErrorKind expected) =>
        Assert.Equal(expected, LanguageModelException.KindForHttpStatus(status, code, message));

    [Fact]
    public void A_negative_retry_after_is_refused_naming_it() =>
        Assert.Equal("RetryAfter", Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageModelException { RetryAfter = TimeSpan.FromSeconds(-1) }).ParamName);
}
