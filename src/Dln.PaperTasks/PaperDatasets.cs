namespace DeepLanguageNetworks.Paper;

/// <summary>
/// Loads one of the paper's tasks, from the data embedded in this package (BBH and Ordered-Prompt) or from a datasets
/// folder laid out like <c>samples/datasets</c> (<c>bbh/&lt;task&gt;.json</c>,
/// <c>ordered-prompt/&lt;task&gt;/{train,dev_subsample,test}.jsonl</c>, <c>leopard/&lt;task&gt;/&lt;task&gt;_eval.json</c>),
/// and splits it into train, dev and test with a seeded <see cref="Random"/>. The result is a core
/// <see cref="Dataset"/> with the task's output space, initial instruction and split description.
/// </summary>
/// <remarks>
/// <para>Split rules per family:</para>
/// <list type="bullet">
/// <item><description><b>BBH — deviation from the paper.</b> The paper tests on the 250 BBH items and trains on BIG-bench
/// items that BBH left out. Those BIG-bench files are not available offline, so the 250 BBH items are shuffled and
/// split 100 train / 50 dev / 100 test (40 % / 20 % / 40 % for files of another size). Options of train and dev items are
/// shuffled and re-lettered for every BBH task except navigate; test items stay as published. Test accuracies are on 100
/// items and are not directly comparable with the paper's tables.</description></item>
/// <item><description><b>Ordered-Prompt</b> (mpqa, trec, subj), as in the paper's code: train = 1000 sampled from
/// <c>train.jsonl</c>, dev = all of <c>dev_subsample.jsonl</c>, test = 250 sampled from <c>test.jsonl</c>. The dev file
/// is drawn from the test pool, so some test inputs are dev inputs (counts in
/// <see cref="PaperDatasetOptions.RemoveDevInputsFromTest"/>); kept by default as in the paper, removed with that option,
/// and stated in the split description either way.</description></item>
/// <item><description><b>Leopard</b> (disaster, airline), as in the paper's code: 1500 rows sampled, split in order
/// 1000 / 250 / 250 (the paper's text says 400 training items: use <see cref="PaperDatasetOptions.MaxTrain"/> = 400).</description></item>
/// </list>
/// <para>Every draw uses the data seed (<see cref="PaperDatasetOptions.DataSeed"/>, 42 by default), never the run's seed, so
/// runs with different seeds train and test on the same data, as in the paper's protocol.</para>
/// <para>The optional caps of <see cref="PaperDatasetOptions"/> then keep a class-balanced subset of each split. The items
/// drawn are not the same as the paper's (its code used NumPy's generator); the rules and sizes are.</para>
/// </remarks>
public static class PaperDatasets
{
    /// <summary>Training items of the offline BBH split (of 250).</summary>
    public const int BbhTrainSize = 100;

    /// <summary>Dev items of the offline BBH split (of 250).</summary>
    public const int BbhDevSize = 50;

    /// <summary>Test items of the offline BBH split (of 250).</summary>
    public const int BbhTestSize = 100;

    /// <summary>Training items sampled from an Ordered-Prompt <c>train.jsonl</c>.</summary>
    public const int OrderedPromptTrainSize = 1000;

    /// <summary>Test items sampled from an Ordered-Prompt <c>test.jsonl</c>.</summary>
    public const int OrderedPromptTestSize = 250;

    /// <summary>Training items of a Leopard task.</summary>
    public const int LeopardTrainSize = 1000;

    /// <summary>Dev items of a Leopard task.</summary>
    public const int LeopardDevSize = 250;

    /// <summary>Test items of a Leopard task.</summary>
    public const int LeopardTestSize = 250;

    private const int BbhPublishedSize = BbhTrainSize + BbhDevSize + BbhTestSize;
    private const int LeopardSampleSize = LeopardTrainSize + LeopardDevSize + LeopardTestSize;

    /// <summary>
    /// Loads and splits a BBH or Ordered-Prompt task from the data embedded in this package: no files needed. Leopard
    /// tasks (disaster, airline) are not packed, as their data has no licence: load them from a folder with
    /// <see cref="Load(string, string, PaperDatasetOptions?)"/>.
    /// </summary>
    /// <param name="taskId">One of <see cref="PaperTasks.Ids"/> except disaster and airline, for example <c>mpqa</c>.</param>
    /// <param name="options">Seed, size caps and option shuffling; <see langword="null"/> for the defaults.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentException">Unknown task id.</exception>
    /// <exception cref="FileNotFoundException">A Leopard task, whose data is not in the package.</exception>
    public static Dataset Load(string taskId, PaperDatasetOptions? options = null) =>
        Load(PaperTasks.Get(taskId), PaperDataFiles.Embedded, options);

    /// <summary>Loads and splits a paper task from a datasets folder (any of the nine, Leopard included).</summary>
    /// <param name="taskId">One of <see cref="PaperTasks.Ids"/>.</param>
    /// <param name="datasetsRoot">The folder that holds <c>bbh/</c>, <c>ordered-prompt/</c> and <c>leopard/</c> (in the Dln repository: <c>samples/datasets</c>).</param>
    /// <param name="options">Seed, size caps and option shuffling; <see langword="null"/> for the defaults.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentException">Unknown task id.</exception>
    /// <exception cref="DirectoryNotFoundException">The datasets folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file the task needs is missing.</exception>
    /// <exception cref="DatasetFormatException">A data file is malformed.</exception>
    public static Dataset Load(string taskId, string datasetsRoot, PaperDatasetOptions? options = null) =>
        Load(PaperTasks.Get(taskId), PaperDataFiles.Folder(datasetsRoot), options);

    /// <summary>
    /// Loads and splits any task laid out like the paper's (the family decides the files and the split rule), for
    /// example a custom <see cref="TaskDefinition"/> over another Ordered-Prompt corpus.
    /// </summary>
    /// <param name="task">The task; its <see cref="TaskDefinition.Id"/> names the files.</param>
    /// <param name="datasetsRoot">The folder that holds <c>bbh/</c>, <c>ordered-prompt/</c> and <c>leopard/</c>.</param>
    /// <param name="options">Seed, size caps and option shuffling; <see langword="null"/> for the defaults.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DirectoryNotFoundException">The datasets folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file the task needs is missing.</exception>
    /// <exception cref="DatasetFormatException">A data file is malformed.</exception>
    public static Dataset Load(TaskDefinition task, string datasetsRoot, PaperDatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Load(task, PaperDataFiles.Folder(datasetsRoot), options);
    }

    private static Dataset Load(TaskDefinition task, PaperDataFiles files, PaperDatasetOptions? options)
    {
        options ??= new PaperDatasetOptions();

        // One generator for the whole build, consumed in a fixed order: the split depends on the seed alone.
        var random = new Random(options.DataSeed);
        var (train, dev, test, description) = task.Family switch
        {
            DatasetFamily.Bbh => SplitBbh(task, files, options, random),
            DatasetFamily.OrderedPrompt => SplitOrderedPrompt(task, files, options, random),
            DatasetFamily.Leopard => SplitLeopard(task, files, options.DataSeed, random),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task.Family, "Unknown dataset family."),
        };

        train = Cap(train, options.MaxTrain, task, random);
        dev = Cap(dev, options.MaxDev, task, random);
        test = Cap(test, options.MaxTest, task, random);
        if (options.MaxTrain is not null || options.MaxDev is not null || options.MaxTest is not null)
        {
            description += $" Class-balanced caps: train {Describe(options.MaxTrain)}, dev {Describe(options.MaxDev)}, test {Describe(options.MaxTest)}.";
        }

        return new Dataset(task.Id, train, dev, test)
        {
            OutputSpace = task.OutputSpace,
            InitialInstruction = task.InitialInstruction,
            SplitDescription = description,
        };
    }

    private static (IReadOnlyList<Example>, IReadOnlyList<Example>, IReadOnlyList<Example>, string) SplitBbh(
        TaskDefinition task, PaperDataFiles files, PaperDatasetOptions options, Random random)
    {
        var (bytes, source) = files.Read(task, "bbh", $"{task.Id}.json");
        var all = BbhLoader.Load(bytes, source, task);
        var shuffled = RandomSampling.Sample(all, all.Count, random);

        // 40 % / 20 % / 40 %: exactly 100 / 50 / 100 for the 250 published items.
        var trainCount = all.Count * BbhTrainSize / BbhPublishedSize;
        var devCount = all.Count * BbhDevSize / BbhPublishedSize;
        IReadOnlyList<Example> train = shuffled.GetRange(0, trainCount);
        IReadOnlyList<Example> dev = shuffled.GetRange(trainCount, devCount);
        IReadOnlyList<Example> test = shuffled.GetRange(trainCount + devCount, all.Count - trainCount - devCount);

        var shuffleOptions = options.ShuffleOptions && task.ShuffleOptions;
        if (shuffleOptions)
        {
            train = train.Select(example => MultipleChoiceOptions.Shuffle(example, random)).ToArray();
            dev = dev.Select(example => MultipleChoiceOptions.Shuffle(example, random)).ToArray();
        }

        var description =
            $"Deviation from the paper: the BIG-bench train/dev data is not available offline, so the {all.Count} BBH items of {task.Id} were shuffled with data seed {options.DataSeed} " +
            $"and split {train.Count} train / {dev.Count} dev / {test.Count} test (the paper tests on all 250 BBH items and trains on BIG-bench items outside BBH)." +
            (shuffleOptions ? " Options of train and dev items were shuffled and re-lettered; test items are as published." : string.Empty);
        return (train, dev, test, description);
    }

    private static (IReadOnlyList<Example>, IReadOnlyList<Example>, IReadOnlyList<Example>, string) SplitOrderedPrompt(
        TaskDefinition task, PaperDataFiles files, PaperDatasetOptions options, Random random)
    {
        var trainAll = LoadOrderedPrompt(task, files, "train.jsonl");
        var dev = LoadOrderedPrompt(task, files, "dev_subsample.jsonl");
        var testAll = LoadOrderedPrompt(task, files, "test.jsonl");

        var train = RandomSampling.Sample(trainAll, OrderedPromptTrainSize, random);
        IReadOnlyList<Example> test = RandomSampling.Sample(testAll, OrderedPromptTestSize, random);

        // dev_subsample.jsonl is drawn from the pool test.jsonl comes from: the paper's protocol keeps the overlap.
        var devInputs = dev.Select(example => example.Input).ToHashSet(StringComparer.Ordinal);
        var overlap = test.Count(example => devInputs.Contains(example.Input));
        var description =
            $"As in the paper's code: {train.Count} of {trainAll.Count} train.jsonl items, all {dev.Count} dev_subsample.jsonl items, " +
            $"{test.Count} of {testAll.Count} test.jsonl items, sampled with data seed {options.DataSeed}. ";
        if (options.RemoveDevInputsFromTest)
        {
            test = test.Where(example => !devInputs.Contains(example.Input)).ToArray();
            description += $"The {overlap} test items whose input is also a dev input were removed (RemoveDevInputsFromTest), leaving {test.Count}; the paper's numbers include them.";
        }
        else
        {
            description += $"Dev/test overlap, the paper's protocol: {overlap} of the {test.Count} test inputs are also dev inputs (dev_subsample.jsonl is drawn from the same pool as test.jsonl), on which the best prompt is selected; set RemoveDevInputsFromTest to leave them out.";
        }

        return (train, dev, test, description);
    }

    private static (IReadOnlyList<Example>, IReadOnlyList<Example>, IReadOnlyList<Example>, string) SplitLeopard(
        TaskDefinition task, PaperDataFiles files, int seed, Random random)
    {
        var (bytes, source) = files.Read(task, "leopard", task.Id, $"{task.Id}_eval.json");
        var all = LeopardLoader.Load(bytes, source, task);
        var sample = RandomSampling.Sample(all, LeopardSampleSize, random);

        // Sizes in proportion (2/3, 1/6, 1/6) only matter for files smaller than 1500 rows.
        var trainCount = sample.Count * LeopardTrainSize / LeopardSampleSize;
        var devCount = sample.Count * LeopardDevSize / LeopardSampleSize;
        var train = sample.GetRange(0, trainCount);
        var dev = sample.GetRange(trainCount, devCount);
        var test = sample.GetRange(trainCount + devCount, sample.Count - trainCount - devCount);
        var description =
            $"As in the paper's code: {sample.Count} of {all.Count} rows sampled with data seed {seed}, split in order " +
            $"{train.Count} train / {dev.Count} dev / {test.Count} test (the paper's text says 400 train items; its code uses 1000).";
        return (train, dev, test, description);
    }

    private static IReadOnlyList<Example> LoadOrderedPrompt(TaskDefinition task, PaperDataFiles files, string file)
    {
        var (bytes, source) = files.Read(task, "ordered-prompt", task.Id, file);
        return OrderedPromptLoader.Load(bytes, source, task);
    }

    private static IReadOnlyList<Example> Cap(IReadOnlyList<Example> split, int? max, TaskDefinition task, Random random) =>
        max is { } count ? ClassBalancedSubset.Take(split, count, task.OutputSpace, $"task {task.Id}", random) : split;

    private static string Describe(int? cap) => cap?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
