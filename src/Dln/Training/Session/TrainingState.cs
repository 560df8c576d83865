namespace DeepLanguageNetworks;

/// <summary>
/// Everything a training run knows between two iterations: the current prompts (held by the run's network), the best
/// prompts and demonstrations, the dev accuracies measured, the memory, the patience spent, the failures and the
/// reports so far. It alone maps to and from <see cref="TrainingCheckpoint"/>.
/// </summary>
internal sealed class TrainingState
{
    private readonly UsageTracker _usage;
    private long _callsBefore;
    private long _tokensBefore;

    public TrainingState(Dln network, int memorySize, UsageTracker usage)
    {
        Network = network;
        Memory = new PromptMemory(memorySize);
        BestPrompts = network.Prompts;
        _usage = usage;
    }

    /// <summary>The run's network; its layers hold the current prompts and demonstrations.</summary>
    public Dln Network { get; }

    public IReadOnlyList<string> BestPrompts { get; set; }

    /// <summary>With few-shot training, the demonstrations the best prompts were validated with.</summary>
    public IReadOnlyList<Example>? BestDemonstrations { get; set; }

    /// <summary>The best dev accuracy so far; null before the first successful validation.</summary>
    public double? BestDevAccuracy { get; set; }

    public double? InitialDevAccuracy { get; set; }

    /// <summary>Validations since the best dev accuracy last improved (reset by a backtrack).</summary>
    public int ValidationsWithoutImprovement { get; set; }

    public int IterationsCompleted { get; set; }

    /// <summary>Iterations and validations counted against the error budget.</summary>
    public int Failures { get; set; }

    public PromptMemory Memory { get; }

    public DevScoreCache DevScores { get; } = new();

    /// <summary>
    /// With <see cref="VariationalTrainerOptions.StopValidationEarly"/>, how often each dev item was answered wrongly by
    /// the validations so far (they evaluate the hardest first); null until the first such validation.
    /// </summary>
    public int[]? DevItemMisses { get; set; }

    /// <summary>The reports so far, in order; a report joins once its step and validation are done.</summary>
    public List<TrainingProgress> History { get; } = [];

    /// <summary>Backend calls of the whole run, earlier sessions included.</summary>
    public long Calls => _callsBefore + _usage.Snapshot().Total.Calls;

    /// <summary>Tokens of the whole run, earlier sessions included.</summary>
    public long Tokens => _tokensBefore + _usage.Snapshot().Total.TotalTokens;

    public TrainingCheckpoint ToCheckpoint(VariationalTrainerOptions options) => new()
    {
        Seed = options.Seed,
        Metric = MetricIdentity.Of(options.Metric),
        Depth = Network.Depth,
        Iterations = options.Iterations,
        IterationsCompleted = IterationsCompleted,
        Prompts = Network.Prompts,
        Nodes = Network.IsStack ? null : [.. Network.Nodes.Select(n => n.Name)],
        BestPrompts = BestPrompts,
        BestDevAccuracy = BestDevAccuracy,
        InitialDevAccuracy = InitialDevAccuracy,
        ValidationsWithoutImprovement = ValidationsWithoutImprovement,
        FailedIterations = Failures,
        Memory = Memory.Entries.ToArray(),
        DevAccuracies = DevScores.Entries,
        DevAccuracyBounds = DevScores.Bounds is { Count: > 0 } bounds ? bounds : null,
        DevItemMisses = DevItemMisses?.ToArray(),
        History = History.ToArray(),
        Calls = Calls,
        Tokens = Tokens,
    };

    /// <summary>Continues from <paramref name="checkpoint"/>, refusing one written for another network shape, length, seed or metric.</summary>
    public void Restore(TrainingCheckpoint checkpoint, VariationalTrainerOptions options, TrainingData data)
    {
        if (checkpoint.Depth != Network.Depth)
        {
            throw new ArgumentException($"The checkpoint is for a {checkpoint.Depth}-layer network; this network has {Network.Depth} layers.");
        }

        var nodes = Network.Nodes.Select(n => n.Name).ToArray();
        if (checkpoint.Nodes is null && !Network.IsStack)
        {
            throw new ArgumentException($"The checkpoint is for a {checkpoint.Depth}-layer stack; this network is a graph (nodes {string.Join(", ", nodes)}).");
        }

        if (checkpoint.Nodes is { } saved && (Network.IsStack || !saved.SequenceEqual(nodes)))
        {
            throw new ArgumentException(
                $"The checkpoint is for a graph of nodes {string.Join(", ", saved)}; this network {(Network.IsStack ? $"is a {Network.Depth}-layer stack" : $"has nodes {string.Join(", ", nodes)}")}. Resume with the network that was trained.");
        }

        if (checkpoint.Iterations != options.Iterations)
        {
            throw new ArgumentException($"The checkpoint was written for a run of {checkpoint.Iterations} iterations; the trainer's Iterations option is {options.Iterations}. Resume with the same settings (the penalty decay and the validation schedule depend on it).");
        }

        if (checkpoint.Seed != options.Seed)
        {
            throw new ArgumentException($"The checkpoint was written with seed {checkpoint.Seed}; the trainer's Seed option is {options.Seed}. Resume with the same seed.");
        }

        // Scores of different metrics are not comparable: the best dev score, the memory and the measured prompt sets
        // would mislead the run. A delegate metric is known by the name its author gave it.
        var recorded = checkpoint.Metric ?? MetricIdentity.ExactMatch;
        var current = MetricIdentity.Of(options.Metric);
        if (!recorded.Equals(current))
        {
            throw new ArgumentException(
                $"The checkpoint was written by a run scored with the metric '{recorded}'; the trainer's Metric option is '{current}'. " +
                "Resume with the same metric (same name and settings), or start a new run.");
        }

        Network.SetPrompts(checkpoint.Prompts);
        BestPrompts = checkpoint.BestPrompts;
        BestDevAccuracy = checkpoint.BestDevAccuracy;
        InitialDevAccuracy = checkpoint.InitialDevAccuracy;
        ValidationsWithoutImprovement = checkpoint.ValidationsWithoutImprovement;
        IterationsCompleted = checkpoint.IterationsCompleted;
        Failures = checkpoint.FailedIterations;
        Memory.Restore(checkpoint.Memory);
        DevScores.Restore(checkpoint.DevAccuracies, checkpoint.DevAccuracyBounds);
        DevItemMisses = checkpoint.DevItemMisses is { } misses && misses.Count == data.Dev.Count ? [.. misses] : null;
        History.AddRange(checkpoint.History);
        if (options.FewShotExamples > 0 && BestDevAccuracy is { } best && History.FirstOrDefault(h => h.DevAccuracy == best && h.DevItemsEvaluated is null) is { } bestReport)
        {
            // The demonstrations are not in the checkpoint: each validation draws them from its own stream, so the set
            // of the best validation (the first that reached the best accuracy) can be drawn again.
            BestDemonstrations = data.ValidationDemonstrations(bestReport.Iteration);
        }

        _callsBefore = checkpoint.Calls;
        _tokensBefore = checkpoint.Tokens;
    }
}
