namespace DeepLanguageNetworks.OpenAI;

/// <summary>How <see cref="CompletionsScoringModel"/> asks a completions endpoint for the log-probabilities of a given text.</summary>
public enum ContinuationScoringMode
{
    /// <summary>
    /// <c>echo: true, logprobs: 1</c>: the server returns the prompt's tokens with their log-probabilities. Supported by
    /// vLLM and by OpenAI-style completions servers that implement echo.
    /// </summary>
    Echo,

    /// <summary>
    /// vLLM's <c>prompt_logprobs</c> extension: the server returns, for each prompt token, its log-probability and rank.
    /// Use it with vLLM versions or deployments where echo is unavailable.
    /// </summary>
    PromptLogProbabilities,
}
