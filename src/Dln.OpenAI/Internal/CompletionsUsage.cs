using System.Text.Json.Serialization;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>Token counts.</summary>
internal sealed class CompletionsUsage
{
    [JsonPropertyName("prompt_tokens")]
    public long PromptTokens { get; set; }

    [JsonPropertyName("completion_tokens")]
    public long CompletionTokens { get; set; }
}
