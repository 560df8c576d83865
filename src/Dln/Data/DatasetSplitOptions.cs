namespace DeepLanguageNetworks;

/// <summary>
/// How <see cref="Dataset.Split(string, IReadOnlyList{Example}, OutputSpace?, DatasetSplitOptions?)"/> divides one
/// set of examples into train, dev and test. Values are checked when set, the fractions together by
/// <see cref="Validate"/> (called by the split).
/// </summary>
public sealed record DatasetSplitOptions
{
    private readonly double _devFraction = 0.2;
    private readonly double _testFraction = 0.2;

    /// <summary>
    /// Seed of the draw (default 42). The split depends on the seed and the examples alone, the same on every run and
    /// platform; it is separate from the trainer's seed, so runs with different training seeds see the same split.
    /// </summary>
    public int Seed { get; init; } = 42;

    /// <summary>Share of the examples in the dev set, which selects prompts during training (default 0.2); above 0 and below 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not in (0, 1).</exception>
    public double DevFraction
    {
        get => _devFraction;
        init => _devFraction = value is > 0 and < 1 ? value : throw OptionGuard.OutOfRange(nameof(DevFraction), value, "above 0 and below 1");
    }

    /// <summary>Share of the examples in the held-out test set (default 0.2); 0 for no test set, below 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not in [0, 1).</exception>
    public double TestFraction
    {
        get => _testFraction;
        init => _testFraction = value is >= 0 and < 1 ? value : throw OptionGuard.OutOfRange(nameof(TestFraction), value, "at least 0 and below 1");
    }

    /// <summary>
    /// Whether a classification split keeps each class's share in every split (default <see langword="true"/>): the
    /// dev and test counts are divided among the classes in proportion to their sizes (largest remainders first).
    /// Ignored for free-text outputs.
    /// </summary>
    public bool Stratify { get; init; } = true;

    /// <summary>Checks the options as a whole: the dev and test fractions leave a training set.</summary>
    /// <exception cref="ArgumentException">DevFraction + TestFraction is 1 or more.</exception>
    public void Validate()
    {
        if (DevFraction + TestFraction >= 1)
        {
            throw new ArgumentException(
                $"DevFraction ({DevFraction}) + TestFraction ({TestFraction}) must be below 1, to leave examples to train on.", nameof(TestFraction));
        }
    }
}
