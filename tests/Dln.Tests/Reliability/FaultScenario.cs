using DeepLanguageNetworks.Tests.Scripted;
using DeepLanguageNetworks.Tests.Training;

namespace DeepLanguageNetworks.Tests.Reliability;

/// <summary>A DLN-1, DLN-2 or fan-in graph training scenario of the scripted world, for the fault and cancellation tests.</summary>
internal sealed record FaultScenario(string Name, ScriptedTask Task, Func<ILanguageModel, Dln> MakeNetwork, VariationalTrainerOptions Options, TrainingRunOptions Run, Example[] Train, Example[] Dev)
{
    /// <summary>Retries fast enough for tests, and often enough that a 20% fault rate never exhausts them (0.2^13 per call).</summary>
    public static LanguageModelRetryOptions FastRetry { get; } = new()
    {
        MaxRetryAttempts = 12,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(4),
        UseJitter = false,
        // A hung attempt is abandoned after this long and retried.
        AttemptTimeout = TimeSpan.FromMilliseconds(100),
    };

    public static FaultScenario Dln1 { get; } = Create("dln1");

    public static FaultScenario Dln2 { get; } = Create("dln2");

    /// <summary>Three nodes, fan-in: two hidden nodes read the input, the answer reads the input and both (<see cref="TwoFactsTask"/>).</summary>
    public static FaultScenario Graph { get; } = Create("graph");

    public static FaultScenario Get(string name) => name switch { "dln1" => Dln1, "graph" => Graph, _ => Dln2 };

    /// <summary>Trains a network on <paramref name="model"/> (used as forward and backward model).</summary>
    public Task<TrainingResult> TrainAsync(ILanguageModel model, VariationalTrainerOptions? options = null, TrainingRunOptions? run = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        new VariationalTrainer(model, options ?? Options, run ?? Run).TrainAsync(MakeNetwork(model), Train, Dev, progress, cancellationToken);

    private static FaultScenario Create(string name)
    {
        if (name == "dln1")
        {
            var (train, dev, _) = NumberParityTask.Splits();
            return new FaultScenario(name, NumberParityTask.Instance, m => TrainingScenarios.NumberNetwork(m), TrainingScenarios.Dln1Small, new TrainingRunOptions { Retry = FastRetry }, train, dev);
        }

        if (name == "graph")
        {
            var facts = TrainingScenarios.TwoFactsData();
            return new FaultScenario(name, TwoFactsTask.Instance, TrainingScenarios.TwoFactsGraph, TrainingScenarios.Dln2Small, new TrainingRunOptions { Retry = FastRetry }, facts.Train, facts.Dev);
        }

        var digits = TrainingScenarios.DigitSumData();
        return new FaultScenario(name, DigitSumTask.TwoStep, TrainingScenarios.DigitSumTwoLayer, TrainingScenarios.Dln2Small, new TrainingRunOptions { Retry = FastRetry }, digits.Train, digits.Dev);
    }
}
