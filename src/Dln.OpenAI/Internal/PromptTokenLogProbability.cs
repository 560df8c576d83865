using System.Text.Json.Serialization;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>One entry of vLLM's <c>prompt_logprobs</c>.</summary>
internal sealed class PromptTokenLogProbability
{
    [JsonPropertyName("logprob")]
    public double LogProbability { get; set; }

    public int? Rank { get; set; }

    public string? DecodedToken { get; set; }
}
