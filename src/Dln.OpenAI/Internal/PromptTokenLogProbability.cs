using System.Text.Json.Serialization;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>One entry of vLLM's <c>prompt_logprobs</c>.</summary>
internal sealed class PromptTokenLogProbability
{
    [JsonPropertyName("logprob")]
    public double LogProbability { get; set; }

    [JsonPropertyName("rank")]
    public int? Rank { get; set; }

    [JsonPropertyName("decoded_token")]
    public string? DecodedToken { get; set; }
}
