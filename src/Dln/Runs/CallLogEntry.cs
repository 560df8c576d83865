namespace DeepLanguageNetworks;

/// <summary>One line of calls.jsonl.</summary>
internal sealed record CallLogEntry
{
    public required DateTimeOffset Time { get; init; }

    /// <summary><c>text_completion</c>, <c>next_token_logprobs</c> or <c>score_continuation</c> (as in telemetry).</summary>
    public required string Operation { get; init; }

    public required CallRole Role { get; init; }

    public int? Layer { get; init; }

    public required string Provider { get; init; }

    public required string Model { get; init; }

    public required double LatencyMs { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public bool FromCache { get; init; }

    /// <summary>The exception type when the call failed.</summary>
    public string? Error { get; init; }

    public double? Temperature { get; init; }

    public int? SampleIndex { get; init; }

    /// <summary>The prompt or scored context, only with LogCallText.</summary>
    public string? Prompt { get; init; }

    /// <summary>The scored continuation, only with LogCallText.</summary>
    public string? Continuation { get; init; }

    /// <summary>The generated text, only with LogCallText.</summary>
    public string? Response { get; init; }
}
