namespace DeepLanguageNetworks;

/// <summary>Why a generation ended.</summary>
public enum FinishReason
{
    /// <summary>The model produced an end-of-sequence token or a stop sequence.</summary>
    Stop,

    /// <summary>The generation hit <see cref="GenerationRequest.MaxTokens"/>: the text may be truncated.</summary>
    Length,

    /// <summary>The backend filtered the content.</summary>
    ContentFilter,

    /// <summary>Unknown or not reported.</summary>
    Unknown,
}
