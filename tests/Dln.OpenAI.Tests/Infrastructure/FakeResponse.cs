using System.Text.Json.Nodes;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>What <see cref="FakeOpenAIServer"/> answers to one request.</summary>
public sealed record FakeResponse
{
    /// <summary>The HTTP status. Default 200.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>The body as text.</summary>
    public string Body { get; init; } = string.Empty;

    /// <summary>The content type. Default <c>application/json</c>.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>Extra response headers, such as <c>Retry-After</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>How long to wait before answering (until the client gives up when it is <see cref="Timeout.InfiniteTimeSpan"/>).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Drop the connection without answering.</summary>
    public bool AbortConnection { get; init; }

    /// <summary>A JSON answer.</summary>
    /// <param name="body">The JSON text.</param>
    /// <param name="statusCode">The status.</param>
    /// <returns>The response.</returns>
    public static FakeResponse Json(string body, int statusCode = 200) => new() { StatusCode = statusCode, Body = body };

    /// <summary>An error in OpenAI's format: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
    /// <param name="statusCode">The status.</param>
    /// <param name="message">The error message.</param>
    /// <param name="code">The error code.</param>
    /// <param name="param">The parameter concerned.</param>
    /// <param name="headers">Extra headers.</param>
    /// <returns>The response.</returns>
    public static FakeResponse Error(int statusCode, string message, string? code = null, string? param = null, IReadOnlyDictionary<string, string>? headers = null) =>
        new()
        {
            StatusCode = statusCode,
            Body = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = message,
                    ["type"] = statusCode == 429 ? "requests" : statusCode >= 500 ? "server_error" : "invalid_request_error",
                    ["param"] = param,
                    ["code"] = code,
                },
            }.ToJsonString(),
            Headers = headers ?? new Dictionary<string, string>(),
        };

    /// <summary>Never answers; the request ends when the client gives up or the server stops.</summary>
    public static FakeResponse Hang { get; } = new() { Delay = Timeout.InfiniteTimeSpan };

    /// <summary>Drops the connection.</summary>
    public static FakeResponse Abort { get; } = new() { AbortConnection = true };
}
