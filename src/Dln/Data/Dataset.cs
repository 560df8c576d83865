namespace DeepLanguageNetworks;

/// <summary>
/// A task's examples split into train, dev (validation) and test sets, with what any task states about itself: its
/// output space, optionally the instruction a run starts from, and how the splits were made (shown in run reports).
/// Build one from your own file with <see cref="Load(string, ExampleFields, OutputSpace?, DatasetSplitOptions?)"/>,
/// from examples in code with <see cref="Split(string, IReadOnlyList{Example}, OutputSpace?, DatasetSplitOptions?)"/>,
/// or from splits you already have with the constructor. Immutable.
/// </summary>
public sealed class Dataset
{
    private readonly OutputSpace _outputSpace = OutputSpace.FreeText();

    /// <summary>Creates a dataset from its three splits.</summary>
    /// <param name="name">A name for reports, for example the task or file name.</param>
    /// <param name="train">Examples the prompts are learned on.</param>
    /// <param name="dev">Examples that select the best prompts during training.</param>
    /// <param name="test">Held-out examples for the final score; may be empty.</param>
    /// <exception cref="ArgumentException">The name is empty or a split holds a null example.</exception>
    public Dataset(string name, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, IReadOnlyList<Example> test)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;

        // Copies, so that the caller's lists changing later cannot change a dataset already in use.
        Train = Copy(train, nameof(train));
        Dev = Copy(dev, nameof(dev));
        Test = Copy(test, nameof(test));
    }

    /// <summary>A name for reports, for example the task or file name.</summary>
    public string Name { get; }

    /// <summary>Examples the prompts are learned on.</summary>
    public IReadOnlyList<Example> Train { get; }

    /// <summary>Examples that select the best prompts during training.</summary>
    public IReadOnlyList<Example> Dev { get; }

    /// <summary>Held-out examples for the final score.</summary>
    public IReadOnlyList<Example> Test { get; }

    /// <summary>
    /// What the network's output layer answers: classes with their verbalizers, or free text (the default). When set to
    /// classes, every target of every split must name one of them; the error names the split, index and source.
    /// </summary>
    /// <exception cref="ArgumentException">A target names no class.</exception>
    public OutputSpace OutputSpace
    {
        get => _outputSpace;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            CheckTargets(value);
            _outputSpace = value;
        }
    }

    /// <summary>The instruction a run's output prompt starts from, when the task has one (the paper's tasks do); otherwise <see langword="null"/>.</summary>
    public string? InitialInstruction { get; init; }

    /// <summary>How the splits were made, including any deviation from a published protocol; written to the run folder's <c>report.md</c> and <c>config.json</c> by <see cref="VariationalTrainer.TrainAsync(Dln, Dataset, IProgress{TrainingProgress}?, CancellationToken)"/>. Empty when not stated.</summary>
    public string SplitDescription { get; init; } = string.Empty;

    /// <summary>
    /// Reads a data file of your own (<c>.jsonl</c>, <c>.json</c>, <c>.csv</c> or <c>.tsv</c>, see
    /// <see cref="ExampleFile.Read"/>) and splits it with <see cref="Split"/>. The dataset is named after the file.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="fields">Which fields are the input and the target.</param>
    /// <param name="outputSpace">The classes (targets are checked against them as the file is read, and the split is stratified), or <see langword="null"/> for free text.</param>
    /// <param name="options">Seed and fractions; <see langword="null"/> for 60 / 20 / 20 with seed 42.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DatasetFormatException">The file is malformed; the message names the file, line and field.</exception>
    /// <exception cref="ArgumentException">The options contradict each other, or the file has too few examples to split.</exception>
    public static Dataset Load(string path, ExampleFields fields, OutputSpace? outputSpace = null, DatasetSplitOptions? options = null)
    {
        var examples = ExampleFile.Read(path, fields, outputSpace);
        var dataset = Split(Path.GetFileNameWithoutExtension(path), examples, outputSpace, options);
        return new Dataset(dataset.Name, dataset.Train, dataset.Dev, dataset.Test)
        {
            OutputSpace = dataset.OutputSpace,
            SplitDescription = $"{Path.GetFileName(path)}: {dataset.SplitDescription}",
        };
    }

    /// <summary>
    /// Splits examples into train, dev and test with a seeded draw: stratified by class when
    /// <paramref name="outputSpace"/> has classes (each split keeps the class shares), plainly random otherwise.
    /// </summary>
    /// <param name="name">A name for reports.</param>
    /// <param name="examples">The examples, for example from <see cref="ExampleFile"/> or built in code.</param>
    /// <param name="outputSpace">The classes, or <see langword="null"/> for free text.</param>
    /// <param name="options">Seed and fractions; <see langword="null"/> for 60 / 20 / 20 with seed 42.</param>
    /// <returns>The dataset, whose <see cref="SplitDescription"/> says how it was split.</returns>
    /// <exception cref="ArgumentException">A null example, a target outside the classes, options that contradict each other, or too few examples.</exception>
    public static Dataset Split(string name, IReadOnlyList<Example> examples, OutputSpace? outputSpace = null, DatasetSplitOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new DatasetSplitOptions();
        options.Validate();
        outputSpace ??= OutputSpace.FreeText();
        var all = Copy(examples, nameof(examples));
        var (train, dev, test, description) = DatasetSplitter.Split(all, outputSpace, options);
        return new Dataset(name, train, dev, test) { OutputSpace = outputSpace, SplitDescription = description };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Train.Count} train / {Dev.Count} dev / {Test.Count} test";

    private static Example[] Copy(IReadOnlyList<Example> examples, string split)
    {
        ArgumentNullException.ThrowIfNull(examples, split);
        var copy = examples.ToArray();
        var missing = Array.IndexOf(copy, null);
        return missing < 0 ? copy : throw new ArgumentException($"The {split} examples hold a null example at index {missing}.", split);
    }

    private void CheckTargets(OutputSpace space)
    {
        if (!space.IsClassification)
        {
            return;
        }

        foreach (var (split, examples) in new[] { ("train", Train), ("dev", Dev), ("test", Test) })
        {
            for (var i = 0; i < examples.Count; i++)
            {
                if (space.FindClass(examples[i].Target) is null)
                {
                    var where = examples[i].Source is null ? string.Empty : $" ({examples[i].Source})";
                    throw new ArgumentException(
                        $"{Name}: {split} example {i}{where} has the target \"{examples[i].Target}\", which names none of the classes ({string.Join(", ", space.Classes.Select(c => c.Label))}).",
                        nameof(OutputSpace));
                }
            }
        }
    }
}
