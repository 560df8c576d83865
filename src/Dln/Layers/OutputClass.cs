namespace DeepLanguageNetworks;

/// <summary>
/// One answer class of a classification layer: its label and the spellings (verbalizers) that count as that answer.
/// </summary>
/// <remarks>
/// Next-token class scoring also matches verbalizers with a leading space, so <c>yes</c> matches the token <c>" yes"</c>;
/// continuation scoring scores each verbalizer exactly as written on the line after the context (see <see cref="ClassScoring"/>).
/// </remarks>
public sealed record OutputClass
{
    /// <summary>Creates a class.</summary>
    /// <param name="label">The class label as compared with targets after normalisation (for example <c>yes</c> or <c>a</c>).</param>
    /// <param name="verbalizers">Spellings of the answer; the first is the one the layer outputs. At least one is required.</param>
    /// <exception cref="ArgumentException">The label is empty or no non-empty verbalizer is given.</exception>
    public OutputClass(string label, IEnumerable<string> verbalizers)
    {
        ArgumentNullException.ThrowIfNull(verbalizers);
        if (string.IsNullOrWhiteSpace(label))
        {
            throw new ArgumentException("An output class needs a non-empty label.", nameof(label));
        }

        var list = verbalizers.Select(v => v?.Trim() ?? string.Empty).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException($"The output class '{label}' has no verbalizer: give at least one spelling of the answer (for example \"{label}|{Capitalize(label)}\").", nameof(verbalizers));
        }

        Label = label;
        Verbalizers = list;
    }

    /// <summary>The class label.</summary>
    public string Label { get; }

    /// <summary>The spellings of the class; the first is the prototype the layer outputs.</summary>
    public IReadOnlyList<string> Verbalizers { get; }

    /// <summary>The spelling the layer outputs when it predicts this class.</summary>
    public string Prototype => Verbalizers[0];

    /// <summary>Whether <paramref name="answer"/> names this class after <see cref="AnswerNormalizer"/> normalisation (the label or any spelling).</summary>
    /// <param name="answer">A target or a prediction, for example <c>(A)</c> or <c>Yes.</c>.</param>
    /// <returns><see langword="true"/> when the normalised answer equals the normalised label or a normalised spelling.</returns>
    public bool Matches(string? answer)
    {
        var normalized = AnswerNormalizer.Normalize(answer);
        return normalized.Length > 0 &&
               (normalized == AnswerNormalizer.Normalize(Label) || Verbalizers.Any(v => AnswerNormalizer.Normalize(v) == normalized));
    }

    /// <summary>
    /// Parses <c>"yes|Yes"</c> (label = first spelling) or <c>"positive=positive|Positive"</c> (explicit label).
    /// </summary>
    /// <param name="specification">The class specification.</param>
    /// <returns>The class.</returns>
    public static OutputClass Parse(string specification)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(specification);
        var eq = specification.IndexOf('=', StringComparison.Ordinal);
        var label = eq > 0 ? specification[..eq].Trim() : specification.Split('|')[0].Trim();
        var spellings = (eq > 0 ? specification[(eq + 1)..] : specification).Split('|');
        return new OutputClass(label, spellings);
    }

    /// <inheritdoc />
    public bool Equals(OutputClass? other) => other is not null && Label == other.Label && Verbalizers.SequenceEqual(other.Verbalizers);

    /// <inheritdoc />
    public override int GetHashCode() => Label.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{Label}={string.Join('|', Verbalizers)}";

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
