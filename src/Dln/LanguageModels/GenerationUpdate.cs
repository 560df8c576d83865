namespace DeepLanguageNetworks;

/// <summary>One update of a streamed generation (<see cref="ILanguageModelStreamingGenerator"/>).</summary>
/// <param name="Text">Text generated since the previous update (may be empty in the last update).</param>
public sealed record GenerationUpdate(string Text)
{
    /// <summary>
    /// The whole response (text, usage, finish reason, token log-probabilities) on the last update of a stream;
    /// <see langword="null"/> on every other update.
    /// </summary>
    public GenerationResponse? Response { get; init; }
}
