namespace DeepLanguageNetworks;

/// <summary>A request to generate text after a prompt.</summary>
/// <param name="Prompt">The full prompt. Sent as a single user message to chat backends, as raw text to completion and local backends.</param>
public sealed record GenerationRequest(string Prompt) : LanguageModelRequest
{
    /// <inheritdoc />
    public override LanguageModelOperation Operation => LanguageModelOperation.Generation;

    /// <summary>Sampling temperature; 0 means greedy decoding. Must be in [0, 2].</summary>
    public double Temperature { get; init; }

    /// <summary>Nucleus sampling probability mass, or <see langword="null"/> for the backend default. Must be in (0, 1].</summary>
    public double? TopP { get; init; }

    /// <summary>Maximum number of tokens to generate. Must be at least 1.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Generation stops before the first occurrence of any of these strings; the stop string is not returned.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Seed for sampling; backends that honour seeds return the same text for the same request and seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Return the log-probability of each generated token (requires <see cref="LanguageModelCapabilities.SampledTokenLogProbabilities"/>).</summary>
    public bool IncludeLogProbabilities { get; init; }

    /// <summary>
    /// Which of several samples of the same prompt this is. Requests that differ only in the sample index are different
    /// requests: a cache keeps K samples at temperature &gt; 0 as K distinct entries. Must not be negative.
    /// </summary>
    public int SampleIndex { get; init; }

    /// <inheritdoc />
    public bool Equals(GenerationRequest? other) =>
        other is not null && base.Equals(other) && Prompt == other.Prompt && Temperature.Equals(other.Temperature) && Nullable.Equals(TopP, other.TopP) &&
        MaxTokens == other.MaxTokens && StopSequences.SequenceEqual(other.StopSequences) && Seed == other.Seed &&
        IncludeLogProbabilities == other.IncludeLogProbabilities && SampleIndex == other.SampleIndex;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Prompt, Temperature, MaxTokens, Seed, SampleIndex, StopSequences.Count);

    private protected override void Check(LanguageModelMetadata backend)
    {
        RequireText(Prompt, nameof(Prompt));
        if (Temperature is < 0 or > 2 || double.IsNaN(Temperature))
        {
            throw OutOfRange(nameof(Temperature), Temperature, "between 0 and 2");
        }

        if (TopP is { } topP && (topP is <= 0 or > 1 || double.IsNaN(topP)))
        {
            throw OutOfRange(nameof(TopP), topP, "greater than 0 and at most 1, or null for the backend's default");
        }

        if (MaxTokens < 1)
        {
            throw OutOfRange(nameof(MaxTokens), MaxTokens, "at least 1");
        }

        if (SampleIndex < 0)
        {
            throw OutOfRange(nameof(SampleIndex), SampleIndex, "0 or more");
        }

        if (StopSequences is null || StopSequences.Any(s => s is null))
        {
            throw new ArgumentNullException("request", "GenerationRequest.StopSequences must be a list of strings without null entries.");
        }

        Require(backend, LanguageModelOperation.Generation);
        if (IncludeLogProbabilities)
        {
            Require(backend, LanguageModelOperation.SampledTokenLogProbabilities);
        }
    }
}
