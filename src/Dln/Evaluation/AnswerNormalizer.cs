using System.Text;

namespace DeepLanguageNetworks;

/// <summary>
/// Normalises answers before exact-match comparison, as in the paper's evaluation: non-letter characters and digits
/// become spaces, spaces collapse, text is lower-cased, and the first word is kept (the second when the first is
/// "option"). So <c>(A)</c> becomes <c>a</c> and <c>Yes.</c> becomes <c>yes</c>.
/// </summary>
public static class AnswerNormalizer
{
    /// <summary>Normalises <paramref name="answer"/>. Idempotent: normalising twice gives the same result.</summary>
    /// <param name="answer">A prediction or a target.</param>
    /// <returns>The normalised answer; empty when the answer has no letters.</returns>
    public static string Normalize(string? answer)
    {
        if (string.IsNullOrEmpty(answer))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(answer.Length);
        foreach (var c in answer)
        {
            // Digits are dropped like punctuation: the paper's rule replaces \W and \d.
            builder.Append(char.IsLetter(c) || c == '_' ? char.ToLowerInvariant(c) : ' ');
        }

        var words = builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return string.Empty;
        }

        return words[0] == "option" && words.Length > 1 ? words[1] : words[0];
    }

    /// <summary>Whether a prediction matches a target after normalisation.</summary>
    /// <param name="prediction">The model's answer.</param>
    /// <param name="target">The expected answer.</param>
    /// <returns><see langword="true"/> on an exact match of the normalised strings.</returns>
    public static bool IsMatch(string? prediction, string? target) =>
        Normalize(prediction) == Normalize(target) && Normalize(target).Length > 0;
}
