namespace DeepLanguageNetworks;

/// <summary>
/// Class-balanced subsampling, as the paper's <c>--max_{train,dev,test}_size</c> options do: items are taken
/// round-robin across classes, each class in a seeded random order, until the requested count is reached. A class
/// that runs out is skipped, so a small class contributes all its items and the others fill the rest.
/// </summary>
internal static class ClassBalancedSubset
{
    /// <summary>Takes at most <paramref name="count"/> examples, balanced across the output space's classes.</summary>
    /// <param name="examples">The examples to choose from.</param>
    /// <param name="count">How many to keep; at least 1. When it is not smaller than the number of examples, all are returned.</param>
    /// <param name="outputSpace">The classes to balance; free text gives a plain random subset.</param>
    /// <param name="owner">Who the classes belong to in errors, for example <c>task mpqa</c>.</param>
    /// <param name="random">The generator that decides which items are kept; seed it for reproducibility.</param>
    /// <returns>The chosen examples, in the order they had in <paramref name="examples"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    /// <exception cref="ArgumentException">A target names no class.</exception>
    public static IReadOnlyList<Example> Take(IReadOnlyList<Example> examples, int count, OutputSpace outputSpace, string owner, Random random)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(outputSpace);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        if (count >= examples.Count)
        {
            return examples.ToArray();
        }

        // Positions rather than examples, so that duplicate records stay apart and the original order can be restored.
        var chosen = new bool[examples.Count];
        if (!outputSpace.IsClassification)
        {
            foreach (var position in RandomSampling.Permutation(examples.Count, random).Take(count))
            {
                chosen[position] = true;
            }
        }
        else
        {
            var groups = ExampleClasses.GroupIndicesByClass(examples, outputSpace.Classes, owner, nameof(examples));
            foreach (var group in groups)
            {
                RandomSampling.Shuffle(group, random);
            }

            var taken = 0;
            for (var round = 0; taken < count; round++)
            {
                foreach (var group in groups)
                {
                    if (taken < count && round < group.Count)
                    {
                        chosen[group[round]] = true;
                        taken++;
                    }
                }
            }
        }

        var result = new List<Example>(count);
        for (var i = 0; i < examples.Count; i++)
        {
            if (chosen[i])
            {
                result.Add(examples[i]);
            }
        }

        return result;
    }
}
