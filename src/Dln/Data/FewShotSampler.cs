namespace DeepLanguageNetworks;

/// <summary>
/// Draws few-shot demonstrations and training batches from a pool (usually the training set): <c>n</c> distinct
/// examples, class-balanced when the output has classes, in random order. Formatting the demonstrations into a prompt
/// is the layer's job.
/// </summary>
/// <remarks>
/// Thread-safe for concurrent <see cref="Sample(int, Random, Example?)"/> calls as long as each caller passes its own
/// <see cref="Random"/> (<see cref="Random"/> itself is not thread-safe). <see cref="VariationalTrainer"/> draws its
/// training batches with it, and a new set of demonstrations per batch and per validation, and leaves the network with
/// the set of its best validation: evaluate with one kept set, to avoid the paper-code quirk of a test accuracy that
/// mixes many shot sets.
/// </remarks>
internal sealed class FewShotSampler
{
    private readonly Example[] _pool;
    private readonly int[][] _classPositions;

    /// <summary>Creates a sampler over <paramref name="pool"/> that balances the classes of an output space (for example a network's output layer).</summary>
    /// <param name="pool">The examples demonstrations are drawn from.</param>
    /// <param name="outputSpace">The classes to balance; a free-text output space draws plainly at random.</param>
    /// <exception cref="ArgumentException">A target names no class of the output space.</exception>
    public FewShotSampler(IReadOnlyList<Example> pool, OutputSpace outputSpace)
        : this(pool, (outputSpace ?? throw new ArgumentNullException(nameof(outputSpace))).Classes, "the output layer")
    {
    }

    private FewShotSampler(IReadOnlyList<Example> pool, IReadOnlyList<OutputClass> classes, string owner)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool.ToArray();
        _classPositions = classes.Count > 0
            ? ExampleClasses.GroupIndicesByClass(_pool, classes, owner, nameof(pool)).Select(group => group.ToArray()).ToArray()
            : [Enumerable.Range(0, _pool.Length).ToArray()];
    }

    /// <summary>The number of examples in the pool.</summary>
    public int PoolSize => _pool.Length;

    /// <summary>
    /// Draws <paramref name="count"/> distinct examples (fewer when the pool is smaller): round-robin over the classes,
    /// taken in a random class order and each class in random order, then shuffled so that classes do not alternate
    /// in a fixed pattern.
    /// </summary>
    /// <param name="count">How many demonstrations; 0 gives an empty list.</param>
    /// <param name="random">The generator; seed it for reproducible shots.</param>
    /// <param name="exclude">An example never to return, typically the query itself when it comes from the pool (compared by value).</param>
    /// <returns>The demonstrations.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public IReadOnlyList<Example> Sample(int count, Random random, Example? exclude = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(random);

        var groups = new List<int>[_classPositions.Length];
        for (var c = 0; c < groups.Length; c++)
        {
            groups[c] = _classPositions[c].Where(position => exclude is null || !_pool[position].Equals(exclude)).ToList();
            RandomSampling.Shuffle(groups[c], random);
        }

        RandomSampling.Shuffle(groups, random);

        var chosen = new List<Example>(count);
        var available = groups.Sum(group => group.Count);
        for (var round = 0; chosen.Count < Math.Min(count, available); round++)
        {
            foreach (var group in groups)
            {
                if (chosen.Count < count && round < group.Count)
                {
                    chosen.Add(_pool[group[round]]);
                }
            }
        }

        RandomSampling.Shuffle(chosen, random);
        return chosen;
    }
}
