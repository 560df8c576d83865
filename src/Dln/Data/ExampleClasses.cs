namespace DeepLanguageNetworks;

/// <summary>Groups examples by the class their target names.</summary>
internal static class ExampleClasses
{
    /// <summary>
    /// For each class, in the given order, the positions in <paramref name="examples"/> of the examples of that class
    /// (empty for classes with none); <paramref name="owner"/> names the classes in errors. Throws when a target names
    /// no class, since balancing would otherwise silently drop the example.
    /// </summary>
    public static List<int>[] GroupIndicesByClass(IReadOnlyList<Example> examples, IReadOnlyList<OutputClass> classes, string owner, string parameterName)
    {
        var groups = new List<int>[classes.Count];
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = [];
        }

        for (var position = 0; position < examples.Count; position++)
        {
            var example = examples[position];
            ArgumentNullException.ThrowIfNull(example, parameterName);
            groups[IndexOfClass(classes, owner, example, parameterName)].Add(position);
        }

        return groups;
    }

    private static int IndexOfClass(IReadOnlyList<OutputClass> classes, string owner, Example example, string parameterName)
    {
        for (var i = 0; i < classes.Count; i++)
        {
            if (classes[i].Matches(example.Target))
            {
                return i;
            }
        }

        var where = example.Source is null ? string.Empty : $" ({example.Source})";
        throw new ArgumentException(
            $"Target \"{example.Target}\"{where} names no class of {owner} (known: {string.Join(", ", classes.Select(c => c.Label))}).",
            parameterName);
    }
}
