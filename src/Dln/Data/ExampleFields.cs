namespace DeepLanguageNetworks;

/// <summary>
/// Which fields of a data file make an <see cref="Example"/>: the input (one field, or several rendered by a template)
/// and the target, with an optional mapping of raw target values to labels. Used by <see cref="ExampleFile"/> and
/// <see cref="Dataset.Load(string, ExampleFields, OutputSpace?, DatasetSplitOptions?)"/> for JSON Lines, JSON and CSV
/// files alike (a field is a JSON property or a CSV column).
/// </summary>
/// <example>
/// <code>
/// var fields = new ExampleFields(input: "text", target: "team");
/// var templated = ExampleFields.FromTemplate("Subject: {subject}\n\n{body}", target: "team")
///     with { TargetLabels = new Dictionary&lt;string, string&gt; { ["0"] = "billing", ["1"] = "bug" } };
/// </code>
/// </example>
public sealed record ExampleFields
{
    private readonly IReadOnlyDictionary<string, string>? _targetLabels;

    /// <summary>Takes the input from one field and the target from another.</summary>
    /// <param name="input">The field whose text is the input, for example <c>text</c>; must be non-empty in every record.</param>
    /// <param name="target">The field whose text is the target, for example <c>label</c>.</param>
    /// <exception cref="ArgumentException">A name is empty.</exception>
    public ExampleFields(string input, string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        Input = input;
        Target = target;
        InputFields = [input];
    }

    private ExampleFields(PromptTemplate template, string target)
    {
        Target = target;
        InputTemplate = template;
        InputFields = template.Placeholders;
    }

    /// <summary>
    /// Renders the input from several fields with a <see cref="PromptTemplate"/> whose placeholders are field names,
    /// for example <c>"Subject: {subject}\n\n{body}"</c>. Values are inserted literally in one pass (a value holding
    /// braces or <c>{body}</c> is never expanded); the rendered text is trimmed and must not be empty. Field names in a
    /// template are letters, digits and underscores; <c>{{</c> and <c>}}</c> are literal braces.
    /// </summary>
    /// <param name="inputTemplate">The template; it must name at least one field.</param>
    /// <param name="target">The field whose text is the target.</param>
    /// <returns>The mapping.</returns>
    /// <exception cref="ArgumentException">The template is malformed or names no field, or the target name is empty.</exception>
    public static ExampleFields FromTemplate(string inputTemplate, string target)
    {
        ArgumentNullException.ThrowIfNull(inputTemplate);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var template = PromptTemplate.WithOwnPlaceholders(inputTemplate);
        if (template.Placeholders.Count == 0)
        {
            throw new ArgumentException($"The input template \"{inputTemplate}\" names no field; write field names in braces, for example \"{{text}}\".", nameof(inputTemplate));
        }

        return new ExampleFields(template, target);
    }

    /// <summary>The field that is the input, or <see langword="null"/> when <see cref="InputTemplate"/> renders it.</summary>
    public string? Input { get; }

    /// <summary>The template that renders the input from several fields, or <see langword="null"/> for a single <see cref="Input"/> field.</summary>
    public PromptTemplate? InputTemplate { get; }

    /// <summary>The fields the input is read from: <see cref="Input"/>, or the placeholders of <see cref="InputTemplate"/>.</summary>
    public IReadOnlyList<string> InputFields { get; }

    /// <summary>The field that is the target.</summary>
    public string Target { get; }

    /// <summary>
    /// Raw target value → label (for example <c>"0"</c> → <c>negative</c>), compared exactly; a value not listed is an
    /// error that names the file, line and field. <see langword="null"/> (default): targets are used as written.
    /// </summary>
    /// <exception cref="ArgumentException">A label is empty.</exception>
    public IReadOnlyDictionary<string, string>? TargetLabels
    {
        get => _targetLabels;
        init
        {
            if (value is not null && value.FirstOrDefault(pair => string.IsNullOrWhiteSpace(pair.Value)) is { Key: { } raw })
            {
                throw new ArgumentException($"TargetLabels maps \"{raw}\" to an empty label.", nameof(TargetLabels));
            }

            _targetLabels = value is null ? null : new Dictionary<string, string>(value, StringComparer.Ordinal);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"input {(Input is null ? $"template \"{InputTemplate}\"" : $"\"{Input}\"")}, target \"{Target}\"";
}
