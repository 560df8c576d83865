namespace DeepLanguageNetworks;

/// <summary>
/// The examples of a run and the draws from them: training batches and the output layer's demonstrations, both with
/// <see cref="FewShotSampler"/> (class-balanced for a classification output, plain random draws for free text), built
/// once per run.
/// </summary>
internal sealed class TrainingData
{
    private readonly VariationalTrainerOptions _options;
    private readonly FewShotSampler _balanced;
    private readonly FewShotSampler _random;

    public TrainingData(IReadOnlyList<Example> train, IReadOnlyList<Example> dev, OutputSpace outputSpace, VariationalTrainerOptions options)
    {
        Train = train;
        Dev = dev;
        _options = options;
        _balanced = new FewShotSampler(train, outputSpace);
        _random = new FewShotSampler(train, OutputSpace.FreeText());
    }

    public IReadOnlyList<Example> Train { get; }

    public IReadOnlyList<Example> Dev { get; }

    /// <summary>Refuses an empty split.</summary>
    public static void CheckNotEmpty(IReadOnlyList<Example> train, IReadOnlyList<Example> dev)
    {
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(train));
        }

        if (dev.Count == 0)
        {
            throw new ArgumentException("The dev set is empty; dev accuracy selects the prompts.", nameof(dev));
        }
    }

    /// <summary>Refuses a null example, an empty input or a target outside the output classes, naming the example.</summary>
    public static void CheckTargets(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev)
    {
        CheckTargets(network, train, "train");
        CheckTargets(network, dev, "dev");
    }

    /// <summary>
    /// Checks that the inputs fit the layers' context windows (<see cref="InputFitCheck"/>) and applies the policy: the
    /// train and dev examples to use and those found too long. With <see cref="OverlongInputPolicy.Fail"/> one error
    /// names them all; a split left empty is refused.
    /// </summary>
    public static (IReadOnlyList<Example> Train, IReadOnlyList<Example> Dev, IReadOnlyList<OverlongInput> Overlong) CheckLengths(
        Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, OverlongInputPolicy policy, TrainingPlan plan)
    {
        var detect = policy == OverlongInputPolicy.Fail ? OverlongInputPolicy.Skip : policy;
        var scoresTargets = plan.Scoring == OutputScoring.LogProbabilities;
        var trainFit = InputFitCheck.Check(network, train, "train", detect, scoresTargets: scoresTargets);
        var devFit = InputFitCheck.Check(network, dev, "dev", detect, scoresTargets: scoresTargets);
        IReadOnlyList<OverlongInput> overlong = [.. trainFit.Overlong, .. devFit.Overlong];
        if (overlong.Count == 0)
        {
            return (train, dev, overlong);
        }

        if (policy == OverlongInputPolicy.Fail)
        {
            throw new ArgumentException(InputFitCheck.Describe(overlong, network) + " TrainingRunOptions.OverlongInputs is Fail." + InputFitCheck.FailAdvice, nameof(TrainingRunOptions.OverlongInputs));
        }

        var (fittingTrain, fittingDev) = (trainFit.Kept, devFit.Kept);
        if (fittingTrain.Count == 0 || fittingDev.Count == 0)
        {
            var split = fittingTrain.Count == 0 ? "training" : "dev";
            throw new ArgumentException(
                $"No {split} example fits the context window. {InputFitCheck.Describe(overlong, network)} Shorten the inputs or the prompts, or use a model with a longer context.");
        }

        return (fittingTrain, fittingDev, overlong);
    }

    public Example[] DrawBatch(Random random) =>
        [.. (_options.BalancedBatches ? _balanced : _random).Sample(Math.Min(_options.BatchSize, Train.Count), random)];

    /// <summary>Gives the output layer a new set of demonstrations drawn from <paramref name="random"/> (nothing, and no draw, when zero-shot).</summary>
    public void DrawDemonstrations(LanguageLayer outputLayer, Random random)
    {
        if (_options.FewShotExamples > 0)
        {
            outputLayer.Demonstrations = _balanced.Sample(_options.FewShotExamples, random);
        }
    }

    /// <summary>The demonstrations of the validation after <paramref name="iteration"/>, drawn again from that validation's stream.</summary>
    public IReadOnlyList<Example> ValidationDemonstrations(int iteration) =>
        _balanced.Sample(_options.FewShotExamples, RandomStreams.For(_options.Seed, iteration, RandomStream.Validation));

    private static void CheckTargets(Dln network, IReadOnlyList<Example> examples, string split)
    {
        var space = network.OutputLayer.OutputSpace;
        for (var i = 0; i < examples.Count; i++)
        {
            var e = examples[i] ?? throw new ArgumentException($"The {split} set has a null example at index {i}.");
            var where = e.Source is null ? $"{split} example {i}" : $"{split} example {i} ({e.Source})";
            if (string.IsNullOrWhiteSpace(e.Input))
            {
                throw new ArgumentException($"{where}: the input is empty.");
            }

            if (space.IsClassification && space.FindClass(e.Target) is null)
            {
                throw new ArgumentException(
                    $"{where}: the target '{e.Target}' is not one of the output classes ({string.Join(", ", space.Classes.Select(c => c.Label))}).");
            }
        }
    }
}
