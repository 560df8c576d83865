namespace DeepLanguageNetworks.OpenAI;

/// <summary>Checks requests before anything is sent, so that a bad value fails here rather than as an HTTP 400.</summary>
internal static class RequestValidation
{
    /// <summary>Checks a generation request's prompt and decoding options.</summary>
    /// <param name="request">The request.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names the field.</exception>
    public static void Check(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Prompt, nameof(request.Prompt));
        if (request.Temperature is < 0 or > 2 || double.IsNaN(request.Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Temperature, "GenerationRequest.Temperature must be between 0 and 2.");
        }

        if (request.TopP is { } topP && (topP is <= 0 or > 1 || double.IsNaN(topP)))
        {
            throw new ArgumentOutOfRangeException(nameof(request), topP, "GenerationRequest.TopP must be in (0, 1].");
        }

        if (request.MaxTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.MaxTokens, "GenerationRequest.MaxTokens must be at least 1.");
        }
    }

    /// <summary>Checks a next-token request.</summary>
    /// <param name="request">The request.</param>
    /// <exception cref="ArgumentOutOfRangeException">TopK is below 1.</exception>
    public static void Check(NextTokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Context, nameof(request.Context));
        if (request.TopK < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.TopK, "NextTokenRequest.TopK must be at least 1.");
        }
    }
}
