namespace DeepLanguageNetworks;

/// <summary>
/// Turns records into examples by an <see cref="ExampleFields"/> mapping: reads the input field (or renders the
/// template), maps the target through <see cref="ExampleFields.TargetLabels"/>, and checks it against the classes when
/// given. Every error names the record's file, line (or element) and field.
/// </summary>
/// <param name="fields">The mapping.</param>
/// <param name="classes">When set and a classification, every target must name one of its classes.</param>
/// <param name="owner">Who the labels and classes belong to in errors (for example <c>task trec</c>), or null.</param>
internal sealed class ExampleMapper(ExampleFields fields, OutputSpace? classes, string? owner)
{
    public List<Example> Map(IEnumerable<IExampleRecord> records)
    {
        var examples = new List<Example>();
        foreach (var record in records)
        {
            examples.Add(Map(record));
        }

        return examples;
    }

    public Example Map(IExampleRecord record)
    {
        string input;
        if (fields.InputTemplate is { } template)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in fields.InputFields)
            {
                values[field] = record.GetText(field, allowEmpty: true);
            }

            input = template.Render(values);
            if (input.Length == 0)
            {
                throw record.Error(null, $"renders an empty input from the template (fields {string.Join(", ", fields.InputFields.Select(f => $"\"{f}\""))} are all empty)");
            }
        }
        else
        {
            input = record.GetText(fields.Input!, allowEmpty: false);
        }

        return new Example(input, Target(record)) { Source = record.Location };
    }

    private string Target(IExampleRecord record)
    {
        var field = fields.Target;
        string target;
        if (fields.TargetLabels is { } labels)
        {
            var raw = record.GetText(field, allowEmpty: true);
            if (!labels.TryGetValue(raw, out target!))
            {
                var known = string.Join(", ", labels.Keys.Select(key => $"\"{key}\""));
                throw record.Error(field, $"has unknown label \"{raw}\"{(owner is null ? string.Empty : $" for {owner}")} (known: {known})");
            }
        }
        else
        {
            target = record.GetText(field, allowEmpty: false);
        }

        if (classes is { IsClassification: true } && classes.FindClass(target) is null)
        {
            var known = string.Join(", ", classes.Classes.Select(c => c.Label));
            throw record.Error(field, owner is null
                ? $"has value \"{target}\", which names none of the classes (known: {known})"
                : $"has value \"{target}\", which names no class of {owner} (known: {known})");
        }

        return target;
    }
}
