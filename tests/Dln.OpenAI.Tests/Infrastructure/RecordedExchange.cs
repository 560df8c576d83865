using System.Text.Json.Nodes;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>One recorded exchange with the OpenAI service from <c>Fixtures/</c> (format described in Fixtures/SOURCE.md).</summary>
/// <param name="RequestBody">The request the official library sent.</param>
/// <param name="StatusCode">The status the service answered.</param>
/// <param name="ContentType">The response's content type.</param>
/// <param name="ResponseBody">The response body exactly as recorded (re-serialised JSON).</param>
public sealed record RecordedExchange(JsonObject RequestBody, int StatusCode, string ContentType, string ResponseBody)
{
    /// <summary>Loads the first exchange of a fixture file copied next to the test assembly.</summary>
    /// <param name="fileName">For example <c>chat-logprobs-top3.json</c>.</param>
    /// <returns>The exchange.</returns>
    public static RecordedExchange Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName);
        var entry = JsonNode.Parse(File.ReadAllText(path))!["Entries"]![0]!;
        var headers = entry["ResponseHeaders"]!.AsObject();
        var contentType = headers.FirstOrDefault(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>()
            ?? "application/json";
        return new RecordedExchange(entry["RequestBody"]!.AsObject(), entry["StatusCode"]!.GetValue<int>(), contentType,
            entry["ResponseBody"]!.ToJsonString());
    }

    /// <summary>The recorded response, to be served by <see cref="FakeOpenAIServer"/>.</summary>
    public FakeResponse Response => new() { StatusCode = StatusCode, ContentType = ContentType, Body = ResponseBody };

    /// <summary>The recorded response body, parsed.</summary>
    public JsonNode ResponseJson => JsonNode.Parse(ResponseBody)!;
}
