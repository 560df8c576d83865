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

    /// <summary>The backend's time on the call (every attempt), without the wait for a concurrency slot when a limit measured it.</summary>
    public required double LatencyMs { get; init; }

    /// <summary>The time the call waited for a concurrency slot and the rate limits; null when no limit measured it (a cache hit, no limit).</summary>
    public double? QueueMs { get; init; }

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
