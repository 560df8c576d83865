namespace DeepLanguageNetworks.Paper;

/// <summary>
/// How <see cref="PaperDatasets"/> builds the splits. Defaults follow the paper's code: seed 42, no size caps, option
/// shuffling of BBH train/dev items on. Values are checked when set.
/// </summary>
public sealed class PaperDatasetOptions
{
    private readonly int? _maxTrain;
    private readonly int? _maxDev;
    private readonly int? _maxTest;

    /// <summary>Seed of the <see cref="Random"/> that samples and splits the data (the paper's <c>--seed</c>, default 42). The same seed gives the same split on every run and platform.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>At most this many training examples, chosen class-balanced (the paper's <c>--max_train_size</c>; for example 400 for the Leopard size stated in the paper); <see langword="null"/> (default) keeps all.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public int? MaxTrain
    {
        get => _maxTrain;
        init => _maxTrain = ValidateCap(value, nameof(MaxTrain));
    }

    /// <summary>At most this many dev examples, chosen class-balanced (the paper's <c>--max_dev_size</c>); <see langword="null"/> (default) keeps all.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public int? MaxDev
    {
        get => _maxDev;
        init => _maxDev = ValidateCap(value, nameof(MaxDev));
    }

    /// <summary>At most this many test examples, chosen class-balanced (the paper's <c>--max_test_size</c>); <see langword="null"/> (default) keeps all.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public int? MaxTest
    {
        get => _maxTest;
        init => _maxTest = ValidateCap(value, nameof(MaxTest));
    }

    /// <summary>Whether the lettered options of BBH train and dev items are shuffled (default <see langword="true"/>, as in the paper's code since it fixed the gold-always-(A) quirk). Only tasks whose <see cref="TaskDefinition.ShuffleOptions"/> is set are affected; test items are never shuffled.</summary>
    public bool ShuffleOptions { get; init; } = true;

    private static int? ValidateCap(int? value, string name)
    {
        if (value is < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, or null to keep every example.");
        }

        return value;
    }
}
