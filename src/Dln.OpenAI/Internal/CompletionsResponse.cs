using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks.OpenAI;

// The response of POST /v1/completions as OpenAI's legacy API and vLLM send it; only the fields Dln reads are modelled.
/// <summary>A completions response.</summary>
internal sealed class CompletionsResponse
{
    /// <summary>
    /// JSON settings for these types: snake_case names as the API writes them (properties carry a name only where the
    /// API abbreviates, as in <c>logprobs</c>), tolerant of unknown fields and of NaN/Infinity written as strings.
    /// </summary>
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public List<CompletionsChoice>? Choices { get; set; }

    public CompletionsUsage? Usage { get; set; }
}
