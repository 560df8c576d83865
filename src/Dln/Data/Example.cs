namespace DeepLanguageNetworks;

/// <summary>One labelled example: an input text and the expected output.</summary>
/// <param name="Input">The text given to the network (for multiple-choice tasks it includes the options block).</param>
/// <param name="Target">The expected answer as it appears in the data (for example <c>(A)</c> or <c>Yes</c>); compared after <see cref="AnswerNormalizer"/> normalisation.</param>
public sealed record Example(string Input, string Target)
{
    /// <summary>Where the example came from (file and line or index), for error messages and per-example reports.</summary>
    public string? Source { get; init; }
}
