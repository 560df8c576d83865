namespace DeepLanguageNetworks;

/// <summary>A request to generate text after a prompt.</summary>
/// <param name="Prompt">The full prompt. Sent as a single user message to chat backends, as raw text to completion and local backends.</param>
public sealed record GenerationRequest(string Prompt)
{
    /// <summary>Sampling temperature; 0 means greedy decoding. Must be in [0, 2].</summary>
    public double Temperature { get; init; }

    /// <summary>Nucleus sampling probability mass, or <see langword="null"/> for the backend default.</summary>
    public double? TopP { get; init; }

    /// <summary>Maximum number of tokens to generate.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Generation stops before the first occurrence of any of these strings; the stop string is not returned.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Seed for sampling; backends that honour seeds return the same text for the same request and seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Return the log-probability of each generated token (requires <see cref="LanguageModelCapabilities.SampledTokenLogProbabilities"/>).</summary>
    public bool IncludeLogProbabilities { get; init; }

    /// <summary>
    /// Which of several samples of the same prompt this is. Requests that differ only in the sample index are different
    /// requests: a cache keeps K samples at temperature &gt; 0 as K distinct entries.
    /// </summary>
    public int SampleIndex { get; init; }

    /// <summary>Set to skip any cache for this call (the response is still stored).</summary>
    public bool BypassCache { get; init; }

    /// <summary>Why the call is made (forward, backward, scoring, evaluation) and for which layer; used for accounting, not sent to the backend.</summary>
    public CallPurpose Purpose { get; init; } = CallPurpose.Unspecified;

    /// <inheritdoc />
    public bool Equals(GenerationRequest? other) =>
        other is not null && Prompt == other.Prompt && Temperature.Equals(other.Temperature) && Nullable.Equals(TopP, other.TopP) &&
        MaxTokens == other.MaxTokens && StopSequences.SequenceEqual(other.StopSequences) && Seed == other.Seed &&
        IncludeLogProbabilities == other.IncludeLogProbabilities && SampleIndex == other.SampleIndex &&
        BypassCache == other.BypassCache && Purpose == other.Purpose;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Prompt, Temperature, MaxTokens, Seed, SampleIndex, StopSequences.Count);
}
