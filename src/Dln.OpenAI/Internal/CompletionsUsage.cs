namespace DeepLanguageNetworks.OpenAI;

/// <summary>Token counts.</summary>
internal sealed class CompletionsUsage
{
    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }
}
