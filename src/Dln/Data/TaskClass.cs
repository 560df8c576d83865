namespace DeepLanguageNetworks;

/// <summary>One answer class of a classification task and the words a model may write for it.</summary>
/// <param name="Label">The class name in its normalised form (see <see cref="AnswerNormalizer"/>), for example <c>yes</c>, <c>a</c> or <c>negative</c>.</param>
/// <param name="Verbalizers">The spellings that count as this class when scoring the next token, for example <c>yes</c> and <c>Yes</c>; never empty.</param>
public sealed record TaskClass(string Label, IReadOnlyList<string> Verbalizers)
{
    /// <summary>The class name in its normalised form.</summary>
    public string Label { get; init; } = string.IsNullOrWhiteSpace(Label)
        ? throw new ArgumentException("A task class needs a non-empty label.", nameof(Label))
        : Label;

    /// <summary>The spellings that count as this class; at least one, none empty.</summary>
    public IReadOnlyList<string> Verbalizers { get; init; } = ValidateVerbalizers(Label, Verbalizers);

    /// <summary>Whether <paramref name="answer"/> names this class after <see cref="AnswerNormalizer"/> normalisation (the label or any verbalizer).</summary>
    /// <param name="answer">A target or a prediction, for example <c>(A)</c> or <c>Yes.</c>.</param>
    /// <returns><see langword="true"/> when the normalised answer equals the normalised label or a normalised verbalizer.</returns>
    public bool Matches(string? answer)
    {
        var normalized = AnswerNormalizer.Normalize(answer);
        if (normalized.Length == 0)
        {
            return false;
        }

        if (normalized == AnswerNormalizer.Normalize(Label))
        {
            return true;
        }

        foreach (var verbalizer in Verbalizers)
        {
            if (normalized == AnswerNormalizer.Normalize(verbalizer))
            {
                return true;
            }
        }

        return false;
    }

    private static IReadOnlyList<string> ValidateVerbalizers(string label, IReadOnlyList<string> verbalizers)
    {
        ArgumentNullException.ThrowIfNull(verbalizers);
        if (verbalizers.Count == 0 || verbalizers.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException(
                $"Task class \"{label}\" needs at least one verbalizer, and none may be empty.", nameof(Verbalizers));
        }

        // Copied so that a caller's list changed later cannot change the class.
        return verbalizers.ToArray();
    }
}
