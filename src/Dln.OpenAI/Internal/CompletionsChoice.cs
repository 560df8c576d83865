using System.Text.Json.Serialization;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>One choice of a completions response.</summary>
internal sealed class CompletionsChoice
{
    /// <summary>Which prompt of the request the choice answers (with one completion per prompt, its position in the list).</summary>
    public int? Index { get; set; }

    public string? Text { get; set; }

    public string? FinishReason { get; set; }

    [JsonPropertyName("logprobs")]
    public CompletionsLogProbabilities? LogProbabilities { get; set; }

    /// <summary>vLLM extension: per prompt token, a map from token id to its log-probability, rank and text (null for the first token).</summary>
    [JsonPropertyName("prompt_logprobs")]
    public List<Dictionary<string, PromptTokenLogProbability>?>? PromptLogProbabilities { get; set; }
}
