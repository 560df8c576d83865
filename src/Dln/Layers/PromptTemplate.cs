using System.Text;

namespace DeepLanguageNetworks;

/// <summary>
/// A text with named placeholders such as <c>{prompt}</c> and <c>{input}</c>. Placeholders are checked when the
/// template is built; rendering inserts values literally in one pass, so a value that itself contains
/// <c>{input}</c> or braces (a learned prompt, a user input) is never expanded again.
/// </summary>
/// <remarks>
/// Syntax: <c>{name}</c> where name is a letter or underscore followed by letters, digits or underscores;
/// <c>{{</c> and <c>}}</c> stand for literal braces. The rendered text is trimmed at both ends, so an empty prompt
/// leaves no leading blank lines.
/// </remarks>
public sealed class PromptTemplate : IEquatable<PromptTemplate>
{
    private readonly Segment[] _segments;

    /// <summary>Parses and validates a template.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="requiredPlaceholders">Placeholders that must appear in <paramref name="text"/>.</param>
    /// <param name="optionalPlaceholders">Placeholders that may appear; any other placeholder is an error.</param>
    /// <exception cref="ArgumentException">A brace is unbalanced, a placeholder is unknown, or a required one is missing; the message names them.</exception>
    public PromptTemplate(string text, IEnumerable<string> requiredPlaceholders, IEnumerable<string>? optionalPlaceholders = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(requiredPlaceholders);
        Text = text;
        RequiredPlaceholders = requiredPlaceholders.Distinct(StringComparer.Ordinal).ToArray();
        OptionalPlaceholders = (optionalPlaceholders ?? []).Distinct(StringComparer.Ordinal).Except(RequiredPlaceholders).ToArray();
        _segments = Parse(text);
        Placeholders = _segments.Where(s => s.IsPlaceholder).Select(s => s.Value).Distinct(StringComparer.Ordinal).ToArray();

        var allowed = RequiredPlaceholders.Concat(OptionalPlaceholders).ToHashSet(StringComparer.Ordinal);
        var unknown = Placeholders.Where(p => !allowed.Contains(p)).ToArray();
        var missing = RequiredPlaceholders.Where(p => !Placeholders.Contains(p, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0 || missing.Length > 0)
        {
            var problems = new List<string>();
            if (unknown.Length > 0)
            {
                problems.Add($"unknown placeholder(s) {Describe(unknown)} (allowed: {Describe(allowed.Order(StringComparer.Ordinal))})");
            }

            if (missing.Length > 0)
            {
                problems.Add($"missing required placeholder(s) {Describe(missing)}");
            }

            throw new ArgumentException($"Invalid prompt template: {string.Join("; ", problems)}. Template: \"{Abbreviate(text)}\"", nameof(text));
        }
    }

    /// <summary>The template text as given.</summary>
    public string Text { get; }

    /// <summary>A template whose placeholders are whatever <paramref name="text"/> names, all required (for field templates, whose names come from the data).</summary>
    internal static PromptTemplate WithOwnPlaceholders(string text) =>
        new(text, Parse(text).Where(segment => segment.IsPlaceholder).Select(segment => segment.Value));

    /// <summary>The placeholders that must appear.</summary>
    public IReadOnlyList<string> RequiredPlaceholders { get; }

    /// <summary>The placeholders that may appear besides the required ones.</summary>
    public IReadOnlyList<string> OptionalPlaceholders { get; }

    /// <summary>The distinct placeholders found in the text, in order of first appearance.</summary>
    public IReadOnlyList<string> Placeholders { get; }

    /// <summary>Renders the template with <paramref name="values"/> inserted literally, then trims the result.</summary>
    /// <param name="values">A value for every placeholder of the template; extra entries are ignored.</param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="ArgumentException">A placeholder has no value; the message names it.</exception>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var builder = new StringBuilder(Text.Length + 256);
        foreach (var segment in _segments)
        {
            if (!segment.IsPlaceholder)
            {
                builder.Append(segment.Value);
            }
            else if (values.TryGetValue(segment.Value, out var value))
            {
                builder.Append(value);
            }
            else
            {
                throw new ArgumentException($"No value given for placeholder {{{segment.Value}}} of the template \"{Abbreviate(Text)}\".", nameof(values));
            }
        }

        return builder.ToString().Trim();
    }

    /// <summary>Renders the template from name/value pairs.</summary>
    /// <param name="values">Placeholder names and their values.</param>
    /// <returns>The rendered text.</returns>
    public string Render(params (string Name, string Value)[] values) =>
        Render(values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    /// <summary>
    /// The same template with placeholders renamed: literal text unchanged (its braces written doubled again), so that
    /// it renders exactly as this one does with each value given under its new name.
    /// </summary>
    /// <param name="names">New name by old name; placeholders not listed keep their name.</param>
    /// <returns>The renamed template.</returns>
    internal PromptTemplate WithPlaceholdersRenamed(IReadOnlyDictionary<string, string> names)
    {
        string Rename(string name) => names.TryGetValue(name, out var renamed) ? renamed : name;
        var text = new StringBuilder(Text.Length + 16);
        foreach (var segment in _segments)
        {
            text.Append(segment.IsPlaceholder
                ? "{" + Rename(segment.Value) + "}"
                : segment.Value.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
        }

        return new PromptTemplate(text.ToString(), RequiredPlaceholders.Select(Rename), OptionalPlaceholders.Select(Rename));
    }

    /// <inheritdoc />
    public bool Equals(PromptTemplate? other) =>
        other is not null && Text == other.Text &&
        RequiredPlaceholders.SequenceEqual(other.RequiredPlaceholders) && OptionalPlaceholders.SequenceEqual(other.OptionalPlaceholders);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PromptTemplate);

    /// <inheritdoc />
    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Text;

    private static Segment[] Parse(string text)
    {
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                literal.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                literal.Append('}');
                i++;
            }
            else if (c == '{')
            {
                var end = text.IndexOf('}', i + 1);
                var name = end < 0 ? string.Empty : text[(i + 1)..end];
                if (end < 0 || !IsValidName(name))
                {
                    throw new ArgumentException(
                        $"Invalid prompt template: '{{' at position {i} does not start a placeholder like {{input}} (write '{{{{' for a literal brace). Template: \"{Abbreviate(text)}\"",
                        nameof(text));
                }

                if (literal.Length > 0)
                {
                    segments.Add(new Segment(literal.ToString(), false));
                    literal.Clear();
                }

                segments.Add(new Segment(name, true));
                i = end;
            }
            else if (c == '}')
            {
                throw new ArgumentException(
                    $"Invalid prompt template: unmatched '}}' at position {i} (write '}}}}' for a literal brace). Template: \"{Abbreviate(text)}\"",
                    nameof(text));
            }
            else
            {
                literal.Append(c);
            }
        }

        if (literal.Length > 0)
        {
            segments.Add(new Segment(literal.ToString(), false));
        }

        return [.. segments];
    }

    /// <summary>Whether <paramref name="name"/> can be a placeholder: a letter or underscore, then letters, digits or underscores.</summary>
    internal static bool IsValidName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Describe(IEnumerable<string> names) => string.Join(", ", names.Select(n => "{" + n + "}"));

    private static string Abbreviate(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private readonly record struct Segment(string Value, bool IsPlaceholder);
}
