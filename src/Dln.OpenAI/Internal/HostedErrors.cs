using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>Builds the <see cref="LanguageModelException"/>s of the hosted backends, with messages that say what to do.</summary>
/// <remarks>
/// Every exception is marked not transient: it is what outlasted the HTTP pipeline's own retries (or, for a caller-built
/// client, its own policy), so a retry decorator above must not multiply the attempts.
/// </remarks>
internal static class HostedErrors
{
    private const int MaxQuotedBodyLength = 400;

    /// <summary>The operation as the messages name it.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>For example <c>Next-token scoring</c>.</returns>
    public static string Describe(LanguageModelOperation operation) => operation switch
    {
        LanguageModelOperation.NextTokenLogProbabilities => "Next-token scoring",
        LanguageModelOperation.ContinuationLogProbabilities => "Continuation scoring",
        _ => "Generation",
    };

    /// <summary>An error response (any non-success HTTP status).</summary>
    /// <param name="target">What was called.</param>
    /// <param name="operation">The operation, for the message (for example <c>Generation</c>).</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The response body, if any.</param>
    /// <param name="logProbabilitiesRequested">Whether the request asked for log-probabilities.</param>
    /// <returns>The exception to throw.</returns>
    public static LanguageModelException FromStatus(CallTarget target, LanguageModelOperation operation, int status, string? body, bool logProbabilitiesRequested)
    {
        var (providerMessage, providerCode, providerParam) = ParseProviderError(body);
        providerMessage = target.Redactor.Redact(providerMessage);
        var quoted = string.IsNullOrWhiteSpace(providerMessage) ? "(no error message in the response)" : providerMessage.TrimEnd('.');
        var where = Where(target);
        var statusText = $"HTTP {status} {StatusName(status)}".TrimEnd();
        var afterAttempts = target.Attempts is { } attempts ? $" after {attempts} attempt{(attempts == 1 ? "" : "s")}" : "";

        LanguageModelErrorKind kind;
        string message;
        if (status is 400 or 422 && logProbabilitiesRequested && MentionsLogProbabilities(providerMessage, providerParam))
        {
            kind = LanguageModelErrorKind.LogProbabilitiesNotSupported;
            message = $"{Describe(operation)} failed: the model '{target.ModelId}' at {target.Endpoint} rejects log-probabilities " +
                $"({statusText}: {quoted}). Reasoning models (o-series, gpt-5 family) do not return log-probabilities. " +
                "Use accuracy scoring (OutputScoring.Accuracy) with a one-layer network, or a model that returns logprobs, " +
                "and set OpenAIChatLanguageModelOptions.LogProbabilities = false so that the backend's capabilities say so.";
        }
        else
        {
            kind = LanguageModelException.KindForHttpStatus(status, providerCode, providerMessage);
            var hint = kind switch
            {
                LanguageModelErrorKind.Authentication =>
                    "Check the API key or credential (it is not shown here) and that it grants access to this model or deployment. Not retried.",
                LanguageModelErrorKind.NotFound =>
                    "Check the model or deployment name and the base URL (for Azure OpenAI, give the deployment name, not the model name). Not retried.",
                LanguageModelErrorKind.RateLimited =>
                    $"Rate limited{afterAttempts}. Lower the concurrency, raise Retry.MaxRetryAttempts or Retry.MaxDelay, or check the quota.",
                LanguageModelErrorKind.ServerError => $"Server error{afterAttempts}. Try again later or check the server.",
                LanguageModelErrorKind.Timeout => $"The server timed out the request{afterAttempts}. Try again later or check the server.",
                LanguageModelErrorKind.ContextLengthExceeded =>
                    "The prompt and the requested output do not fit the model's context window: shorten the inputs or the prompts " +
                    "(VariationalTrainerOptions.MaxPromptCharacters bounds learned prompts), lower the output token limit, or use a model " +
                    "with a longer context. Not retried.",
                _ => "The server rejected the request; it is not retried.",
            };
            message = $"{Describe(operation)} failed: {where} returned {statusText}: {quoted}. {hint}";
        }

        return Create(target, operation, kind, message, inner: null, status, providerMessage, target.Redactor.Redact(providerCode));
    }

    /// <summary>
    /// Turns what a System.ClientModel call threw into a <see cref="LanguageModelException"/>, or returns
    /// <see langword="null"/> to let the exception propagate unchanged (the caller's own cancellation, programming errors).
    /// </summary>
    /// <param name="target">What was called.</param>
    /// <param name="exception">What the call threw.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="logProbabilitiesRequested">Whether the request asked for log-probabilities.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The exception to throw instead, or <see langword="null"/>.</returns>
    public static LanguageModelException? Translate(CallTarget target, Exception exception, LanguageModelOperation operation, bool logProbabilitiesRequested,
        CancellationToken cancellationToken) => exception switch
        {
            LanguageModelException => null,
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            OperationCanceledException => Timeout(target, operation, exception),
            ClientResultException { Status: 0 } => Network(target, operation, exception),
            ClientResultException failure => FromStatus(target, operation, failure.Status, TryReadBody(failure.GetRawResponse()), logProbabilitiesRequested),
            HttpRequestException or IOException => Network(target, operation, exception),

            // The OpenAI library parses bodies with System.Text.Json and its own model readers; a body that is not the
            // expected object fails with one of these.
            JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException or NullReferenceException =>
                Malformed(target, operation, $"the body is not the expected JSON ({exception.GetType().Name}: {exception.Message})", exception),
            _ => null,
        };

    /// <summary>Reads a buffered response body as text.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The body, or <see langword="null"/> when there is none or it was not buffered.</returns>
    public static string? TryReadBody(PipelineResponse? response)
    {
        try
        {
            return response?.Content?.ToString();
        }
        catch (InvalidOperationException)
        {
            // A streamed response whose content was not buffered: the status alone must do.
            return null;
        }
    }

    /// <summary>Every attempt ran past the per-attempt timeout.</summary>
    /// <param name="target">What was called.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="inner">The cancellation that ended the last attempt.</param>
    /// <returns>The exception to throw.</returns>
    public static LanguageModelException Timeout(CallTarget target, LanguageModelOperation operation, Exception inner)
    {
        var within = target.Timeout is { } timeout ? $" within {timeout.TotalSeconds:0.###} s" : " in time";
        var attempts = target.Attempts is { } n ? $" on any of {n} attempt{(n == 1 ? "" : "s")}" : "";
        return Create(target, operation, LanguageModelErrorKind.Timeout,
            $"{Describe(operation)} timed out: {Where(target)} did not answer{within}{attempts}. " +
            "Raise Retry.AttemptTimeout for long generations, or check that the server is up and not overloaded.", inner);
    }

    /// <summary>The call ran out of its total timeout (attempts and back-off delays together).</summary>
    /// <param name="target">What was called.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="inner">The cancellation that ended the call.</param>
    /// <returns>The exception to throw.</returns>
    public static LanguageModelException TotalTimeout(CallTarget target, LanguageModelOperation operation, Exception inner) =>
        Create(target, operation, LanguageModelErrorKind.Timeout,
            $"{Describe(operation)} timed out: {Where(target)} gave no usable answer within the total timeout of " +
            $"{target.TotalTimeout?.TotalSeconds:0.###} s (Retry.TotalTimeout), counting every attempt and the waits between them. " +
            "Check that the server is up and not overloaded, or raise Retry.TotalTimeout for long generations.", inner);

    /// <summary>The server could not be reached.</summary>
    /// <param name="target">What was called.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="inner">The network error.</param>
    /// <returns>The exception to throw.</returns>
    public static LanguageModelException Network(CallTarget target, LanguageModelOperation operation, Exception inner) =>
        Create(target, operation, LanguageModelErrorKind.Network,
            $"{Describe(operation)} failed: could not reach {Where(target)}: {target.Redactor.Redact((inner.InnerException ?? inner).Message)}. " +
            "Check the base URL and that the server is running.", inner);

    /// <summary>The response could not be parsed or lacks what the operation needs.</summary>
    /// <param name="target">What was called.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="detail">What was wrong with it.</param>
    /// <param name="inner">The parser's exception, if any.</param>
    /// <returns>The exception to throw.</returns>
    public static LanguageModelException Malformed(CallTarget target, LanguageModelOperation operation, string detail, Exception? inner = null) =>
        Create(target, operation, LanguageModelErrorKind.MalformedResponse,
            $"{Describe(operation)} failed: {Where(target)} returned a response that could not be used: {target.Redactor.Redact(detail)}. " +
            "Check that the URL points to an OpenAI-compatible API.", inner);

    private static string Where(CallTarget target) => $"{target.Label} at {target.Endpoint} (model '{target.ModelId}')";

    private static LanguageModelException Create(CallTarget target, LanguageModelOperation operation, LanguageModelErrorKind kind, string message,
        Exception? inner, int? status = null, string? providerMessage = null, string? providerCode = null) =>
        new(message, inner)
        {
            Kind = kind,
            IsTransient = false,
            Attempts = target.Attempts,
            Operation = operation,
            ProviderName = target.ProviderName,
            ModelId = target.ModelId,
            Endpoint = target.Endpoint,
            StatusCode = status,
            ProviderMessage = providerMessage,
            ProviderErrorCode = providerCode,
        };

    /// <summary>Reads the error message, code and parameter from the error JSON of OpenAI, Azure, vLLM, Ollama or llama.cpp.</summary>
    /// <param name="body">The response body.</param>
    /// <returns>The parts found; the message falls back to the start of the body when it is not JSON.</returns>
    internal static (string? Message, string? Code, string? Param) ParseProviderError(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                // OpenAI, Azure, llama.cpp: {"error": {"message", "code", "param", "type"}}; Ollama: {"error": "..."};
                // vLLM: {"object": "error", "message", "code", "param"}; FastAPI-style servers: {"detail": "..."}.
                var error = root.TryGetProperty("error", out var e) ? e : root;
                if (error.ValueKind == JsonValueKind.String)
                {
                    return (error.GetString(), null, null);
                }

                if (error.ValueKind == JsonValueKind.Object)
                {
                    var message = ReadText(error, "message") ?? ReadText(error, "detail");
                    if (message is not null)
                    {
                        return (message, ReadText(error, "code"), ReadText(error, "param"));
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: an HTML page from a proxy, or plain text; quote its start below.
        }

        var trimmed = body.Trim();
        return (trimmed.Length <= MaxQuotedBodyLength ? trimmed : trimmed[..MaxQuotedBodyLength] + "...", null, null);
    }

    private static string? ReadText(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static bool MentionsLogProbabilities(string? message, string? param) =>
        (param?.Contains("logprobs", StringComparison.OrdinalIgnoreCase) ?? false) ||
        (message?.Contains("logprobs", StringComparison.OrdinalIgnoreCase) ?? false) ||
        (message?.Contains("log probabilities", StringComparison.OrdinalIgnoreCase) ?? false);

    private static string StatusName(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : string.Empty;
}
