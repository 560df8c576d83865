using System.Text.Json.Nodes;
using System.Web;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>One HTTP request received by <see cref="FakeOpenAIServer"/>, as it arrived on the wire.</summary>
/// <param name="Index">0-based arrival order.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, for example <c>/v1/chat/completions</c>.</param>
/// <param name="Query">The query string without the leading <c>?</c>, or empty.</param>
/// <param name="Headers">The request headers (names case-insensitive; repeated headers joined with commas).</param>
/// <param name="Body">The body as UTF-8 text.</param>
public sealed record RecordedRequest(int Index, string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    private readonly Lazy<JsonNode?> _json = new(() => string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body));

    /// <summary>The body parsed as JSON, or <see langword="null"/> when empty. Throws when the body is not JSON.</summary>
    public JsonNode? Json => _json.Value;

    /// <summary>The JSON body as an object (throws when it is not one).</summary>
    public JsonObject JsonObject => Json?.AsObject() ?? throw new InvalidOperationException("The request has no JSON body.");

    /// <summary>A header's value, or <see langword="null"/>.</summary>
    /// <param name="name">The header name (case-insensitive).</param>
    /// <returns>The value.</returns>
    public string? GetHeader(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>A query parameter's value, or <see langword="null"/>.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The decoded value.</returns>
    public string? GetQueryValue(string name) => HttpUtility.ParseQueryString(Query)[name];
}
