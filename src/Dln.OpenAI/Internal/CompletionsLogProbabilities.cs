using System.Text.Json.Serialization;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>The legacy <c>logprobs</c> block: parallel arrays, one entry per token.</summary>
internal sealed class CompletionsLogProbabilities
{
    public List<string>? Tokens { get; set; }

    [JsonPropertyName("token_logprobs")]
    public List<double?>? TokenLogProbabilities { get; set; }

    [JsonPropertyName("top_logprobs")]
    public List<Dictionary<string, double>?>? TopLogProbabilities { get; set; }

    [JsonPropertyName("text_offset")]
    public List<int>? TextOffsets { get; set; }
}
