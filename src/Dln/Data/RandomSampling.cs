namespace DeepLanguageNetworks;

/// <summary>
/// Seeded shuffling and sampling used by the loaders and samplers. Hand-rolled rather than <see cref="Random.Shuffle{T}(T[])"/>
/// so that the order drawn depends only on <see cref="Random.Next(int)"/>, whose seeded sequence .NET keeps stable, and
/// not on how a library method consumes it: a split made with seed 42 stays the same split.
/// </summary>
internal static class RandomSampling
{
    /// <summary>Fisher–Yates shuffle in place.</summary>
    public static void Shuffle<T>(IList<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A random permutation of 0 … <paramref name="count"/> − 1.</summary>
    public static int[] Permutation(int count, Random random)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Shuffle(order, random);
        return order;
    }

    /// <summary><paramref name="sampleSize"/> distinct items drawn without replacement, in draw order (all of them, shuffled, when fewer).</summary>
    public static List<T> Sample<T>(IReadOnlyList<T> items, int sampleSize, Random random)
    {
        var order = Permutation(items.Count, random);
        var count = Math.Min(sampleSize, items.Count);
        var result = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            result.Add(items[order[i]]);
        }

        return result;
    }
}
