namespace DeepLanguageNetworks;

/// <summary>
/// What a layer outputs: free text (hidden layers, open answers) or one of a fixed set of classes (classification
/// output layers, scored by the probabilities of their verbalizers, see <see cref="ClassScoring"/>).
/// </summary>
public sealed class OutputSpace : IEquatable<OutputSpace>
{
    private OutputSpace(IReadOnlyList<OutputClass> classes, int maxTokens)
    {
        Classes = classes;
        MaxTokens = maxTokens;
    }

    /// <summary>The classes; empty for free text.</summary>
    public IReadOnlyList<OutputClass> Classes { get; }

    /// <summary>Whether the layer chooses among <see cref="Classes"/>.</summary>
    public bool IsClassification => Classes.Count > 0;

    /// <summary>Maximum tokens of a free-text output (for a classification layer: of the fallback generation when the backend has no log-probabilities).</summary>
    public int MaxTokens { get; }

    /// <summary>Free text up to <paramref name="maxTokens"/> tokens (the paper's hidden layers use 256).</summary>
    /// <param name="maxTokens">Maximum tokens to generate.</param>
    /// <returns>The output space.</returns>
    public static OutputSpace FreeText(int maxTokens = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        return new OutputSpace([], maxTokens);
    }

    /// <summary>A classification output over <paramref name="classes"/>.</summary>
    /// <param name="classes">At least two classes with distinct labels and no spelling shared between classes.</param>
    /// <returns>The output space.</returns>
    /// <exception cref="ArgumentException">Fewer than two classes, duplicate labels, or a spelling used by two classes.</exception>
    public static OutputSpace FromClasses(IEnumerable<OutputClass> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var list = classes.ToArray();
        if (list.Length < 2)
        {
            throw new ArgumentException($"A classification output needs at least two classes; got {list.Length}.", nameof(classes));
        }

        var duplicate = list.GroupBy(c => c.Label, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The class label '{duplicate.Key}' appears more than once.", nameof(classes));
        }

        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in list)
        {
            foreach (var v in c.Verbalizers)
            {
                if (owner.TryGetValue(v, out var other))
                {
                    throw new ArgumentException($"The spelling '{v}' belongs to both class '{other}' and class '{c.Label}'.", nameof(classes));
                }

                owner[v] = c.Label;
            }
        }

        return new OutputSpace(list, 10);
    }

    /// <summary>A classification output from specifications such as <c>"yes|Yes", "no|No"</c> (see <see cref="OutputClass.Parse"/>).</summary>
    /// <param name="classSpecifications">One specification per class.</param>
    /// <returns>The output space.</returns>
    public static OutputSpace FromClasses(params string[] classSpecifications) =>
        FromClasses(classSpecifications.Select(OutputClass.Parse));

    /// <summary>Finds the class whose label or one of whose spellings matches <paramref name="answer"/> after <see cref="AnswerNormalizer"/> normalisation.</summary>
    /// <param name="answer">A generated answer or a target.</param>
    /// <returns>The class, or <see langword="null"/> when none matches.</returns>
    public OutputClass? FindClass(string? answer)
    {
        var normalized = AnswerNormalizer.Normalize(answer);
        if (normalized.Length == 0)
        {
            return null;
        }

        return Classes.FirstOrDefault(c => AnswerNormalizer.Normalize(c.Label) == normalized) ??
               Classes.FirstOrDefault(c => c.Verbalizers.Any(v => AnswerNormalizer.Normalize(v) == normalized));
    }

    /// <summary>
    /// Whether an output answers <paramref name="target"/> correctly, as <see cref="Metrics.ExactMatch"/> judges it. A
    /// predicted class is correct when the target names that class (by label or spelling): the output text is the
    /// class's first spelling, which may differ from the label (<c>positive=great|good</c>). An answer of a
    /// classification layer outside the classes is compared by <see cref="AnswerNormalizer.IsMatch"/> (first words,
    /// the paper's rule); free text by its whole normalised text (<see cref="AnswerNormalizer.NormalizeText"/>).
    /// </summary>
    /// <param name="output">The output text.</param>
    /// <param name="predictedClass">The predicted class, when the layer predicted one.</param>
    /// <param name="target">The expected answer.</param>
    /// <returns><see langword="true"/> when correct.</returns>
    public bool IsCorrect(string output, OutputClass? predictedClass, string target) =>
        predictedClass is not null ? predictedClass.Equals(FindClass(target))
        : IsClassification ? AnswerNormalizer.IsMatch(output, target)
        : AnswerNormalizer.NormalizeText(output) == AnswerNormalizer.NormalizeText(target);

    /// <inheritdoc />
    public bool Equals(OutputSpace? other) => other is not null && MaxTokens == other.MaxTokens && Classes.SequenceEqual(other.Classes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OutputSpace);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Classes.Count, MaxTokens);

    /// <inheritdoc />
    public override string ToString() => IsClassification ? $"classes({string.Join(", ", Classes)})" : $"free text (≤ {MaxTokens} tokens)";
}
