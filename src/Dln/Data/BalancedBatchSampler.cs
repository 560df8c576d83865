namespace DeepLanguageNetworks;

/// <summary>
/// Draws training batches. In class-balanced mode (the paper's default) a batch is filled round-robin across the
/// classes present in the data, each class read from its own seeded permutation that is redrawn when used up; in
/// random mode a batch is read from one seeded permutation of all examples, redrawn when used up.
/// </summary>
/// <remarks>
/// <para><see cref="VariationalTrainer"/> does not use this class: it draws its batches and demonstrations with
/// <see cref="FewShotSampler"/> (see <see cref="VariationalTrainerOptions.BalancedBatches"/>).</para>
/// <para>The class of an example is the task class its target names after <see cref="AnswerNormalizer"/> normalisation.
/// Within a balanced batch the counts of any two present classes differ by at most one; the round-robin position
/// carries over from batch to batch, so odd batch sizes do not favour the first class. Not thread-safe: use one
/// sampler per training loop.</para>
/// </remarks>
public sealed class BalancedBatchSampler
{
    private readonly Random _random;
    private readonly Example[][] _pools;
    private readonly int[][] _orders;
    private readonly int[] _cursors;
    private int _nextPool;

    /// <summary>Creates a sampler over <paramref name="examples"/>.</summary>
    /// <param name="examples">The examples to draw from (usually <see cref="Dataset.Train"/>); not empty.</param>
    /// <param name="task">The task whose classes are balanced; may be <see langword="null"/> only when <paramref name="classBalanced"/> is <see langword="false"/>.</param>
    /// <param name="random">The generator of the permutations; seed it for reproducible batches.</param>
    /// <param name="classBalanced"><see langword="true"/> (default, as in the paper) for class-balanced batches; <see langword="false"/> for plain random batches.</param>
    /// <exception cref="ArgumentException">No examples; a balanced sampler without a classification task; or a target that names no class.</exception>
    public BalancedBatchSampler(IReadOnlyList<Example> examples, TaskDefinition? task, Random random, bool classBalanced = true)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(random);
        if (examples.Count == 0)
        {
            throw new ArgumentException("Cannot draw batches from an empty set of examples.", nameof(examples));
        }

        _random = random;
        IsClassBalanced = classBalanced;
        if (classBalanced)
        {
            if (task is not { IsClassification: true })
            {
                throw new ArgumentException(
                    "Class-balanced batches need a task with classes; pass classBalanced: false for free-text tasks.", nameof(task));
            }

            _pools = ExampleClasses.GroupIndicesByClass(examples, task, nameof(examples))
                .Where(group => group.Count > 0)
                .Select(group => group.Select(position => examples[position]).ToArray())
                .ToArray();
        }
        else
        {
            _pools = [examples.ToArray()];
        }

        _orders = new int[_pools.Length][];
        _cursors = new int[_pools.Length];
        for (var i = 0; i < _pools.Length; i++)
        {
            _orders[i] = RandomSampling.Permutation(_pools[i].Length, _random);
        }
    }

    /// <summary>Whether batches are class-balanced.</summary>
    public bool IsClassBalanced { get; }

    /// <summary>How many classes batches are balanced over (the classes present in the data); 1 in random mode.</summary>
    public int GroupCount => _pools.Length;

    /// <summary>Draws the next batch.</summary>
    /// <param name="size">The batch size (the paper uses 10 to 20); at least 1. A batch larger than a class (or than the whole set in random mode) repeats items after a fresh permutation.</param>
    /// <returns>The examples of the batch, in draw order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 1.</exception>
    public IReadOnlyList<Example> NextBatch(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var batch = new Example[size];
        for (var i = 0; i < size; i++)
        {
            batch[i] = Draw(_nextPool);
            _nextPool = (_nextPool + 1) % _pools.Length;
        }

        return batch;
    }

    private Example Draw(int pool)
    {
        if (_cursors[pool] == _pools[pool].Length)
        {
            _orders[pool] = RandomSampling.Permutation(_pools[pool].Length, _random);
            _cursors[pool] = 0;
        }

        return _pools[pool][_orders[pool][_cursors[pool]++]];
    }
}
