namespace DeepLanguageNetworks;

/// <summary>How the decorators that record calls (logging, telemetry, the run's call log) name and quote them.</summary>
internal static class CallText
{
    /// <summary>The operation's name in telemetry and calls.jsonl (OpenTelemetry GenAI style).</summary>
    public static string TelemetryName(LanguageModelOperation operation) => operation switch
    {
        LanguageModelOperation.NextTokenLogProbabilities => TelemetryNames.NextTokenLogProbabilities,
        LanguageModelOperation.ContinuationLogProbabilities => TelemetryNames.ScoreContinuation,
        _ => TelemetryNames.TextCompletion,
    };

    /// <summary>The operation's name in log messages.</summary>
    public static string LogName(LanguageModelOperation operation) => operation switch
    {
        LanguageModelOperation.NextTokenLogProbabilities => "NextToken",
        LanguageModelOperation.ContinuationLogProbabilities => "ScoreContinuation",
        _ => "Generate",
    };

    /// <summary>The text the model reads first: the prompt, or the scored context.</summary>
    public static string Prompt(LanguageModelRequest request) => request switch
    {
        GenerationRequest g => g.Prompt,
        NextTokenRequest n => n.Context,
        ContinuationRequest c => c.Context,
        _ => string.Empty,
    };

    /// <summary>The scored continuation, or <see langword="null"/> for the other operations.</summary>
    public static string? Continuation(LanguageModelRequest request) => (request as ContinuationRequest)?.Continuation;

    /// <summary>The answer as one line of text: the generated text, the top tokens, or the continuation's total.</summary>
    public static string Response(LanguageModelResponse response) => response switch
    {
        GenerationResponse g => g.Text,
        NextTokenResponse n => string.Join(" | ", n.TopTokens.Select(t => FormattableString.Invariant($"{t.Token} {t.LogProbability:0.###}"))),
        ContinuationResponse c => FormattableString.Invariant($"sum {c.Sum:0.###} over {c.Tokens.Count} tokens"),
        _ => string.Empty,
    };
}
