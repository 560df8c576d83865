using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepLanguageNetworks;

/// <summary>
/// Learns the prompts of a <see cref="Dln"/> of any depth or shape. One engine covers the paper's DLN-1 (one layer:
/// propose prompts, keep the one under which the targets are most likely), DLN-2 and deeper stacks, and graphs of
/// layers (hidden texts are latent variables: sample them from a posterior proposal, weight them, and choose every
/// layer's prompt by its term of the ELBO). <see cref="VariationalTrainerOptions.Dln1"/> and
/// <see cref="VariationalTrainerOptions.Dln2"/> are presets.
/// </summary>
/// <remarks>
/// <para>One iteration, for a network with layers 0..L−1 in topological order (the files of <c>src/Dln/Training</c> name the parts):</para>
/// <list type="number">
/// <item>Draw a batch (class-balanced: round-robin over the output classes) and run the network forward at temperature 0:
/// hidden texts h, answers ŷ (nodes that do not read each other run at the same time), each answer scored by
/// <see cref="VariationalTrainerOptions.Metric"/> (exact match by default): a success from
/// <see cref="VariationalTrainerOptions.SuccessScore"/>, an error below, with the metric's feedback.</item>
/// <item>Skip the update when every answer is right and <see cref="VariationalTrainerOptions.SkipUpdateWhenBatchCorrect"/>
/// says so (by default: with accuracy scoring, and for networks with hidden layers).</item>
/// <item>Walk the layers from the output layer back to the input (reverse topological order). A hidden layer's text gets
/// K samples per example from the posterior proposal (half with a hint template that shows what the layers reading it
/// should produce, half from the layer's own template, at the backward temperature), weighted by
/// softmax((Σ over its readers of the reader's log-likelihood of its target, given the reader's input with the sample in
/// place and its other inputs at their forward values + the layer's own log-likelihood of the sample) / T). The target
/// of the output layer is the answer y; that of a hidden layer, its best sample h*.</item>
/// <item>The output layer's prompt is chosen first, on the posteriors of the hidden texts it reads (sampled at this point
/// with y as their hint; on the observed input, with weight 1, in a one-layer network): the backward model proposes N−1
/// prompts, and with the current prompt and the remembered good ones they are scored by the weighted log-likelihood of
/// the targets (or, under <see cref="OutputScoring.Accuracy"/>, the metric of the answers), averaged over those
/// posteriors, minus an optional KL trust region; the backward model is shown the successes and the errors with their
/// feedback; the weights are then recomputed under the chosen prompt.</item>
/// <item>Each hidden layer's prompt is chosen on its posterior samples, once every layer that reads it has been chosen:
/// their weighted mean log-likelihood, minus a decaying penalty on the hidden texts that led to errors (the successes and
/// errors it is shown are those of the network's answers, by the metric). Its best sample h* becomes the target for the
/// layers it reads. For a stack this is the paper's rule, layer by layer.</item>
/// <item>Every <see cref="VariationalTrainerOptions.ValidationInterval"/> iterations, and after the last one, measure the
/// mean metric on dev (the accuracy with exact match): track the best prompts, remember the top ones, and restore the best after
/// <see cref="VariationalTrainerOptions.Patience"/> validations without improvement. The network ends with the best prompts.</item>
/// </list>
/// <para>Every call of a phase is issued at once, and work that does not wait for another is not held back by it: the
/// output layer's proposals run while the posteriors it reads are sampled, each posterior sample is scored by its readers as soon as it is
/// written, and each candidate as soon as its proposal arrives, so that no call slot waits for the slowest call of a
/// phase. The concurrency limit the trainer adds (or your own, see <see cref="TrainingRunOptions"/>) bounds what
/// reaches the backend. With <see cref="VariationalTrainerOptions.CandidateRacing"/> the candidates race on slices of
/// the batch, and with <see cref="VariationalTrainerOptions.StopValidationEarly"/> a validation stops when it can no
/// longer change what training keeps. All random choices derive from
/// <see cref="VariationalTrainerOptions.Seed"/> and the iteration number, so the same seed and a deterministic backend
/// give the same prompts, and a resumed run equals an uninterrupted one.</para>
/// <para>Watch a run with <see cref="IProgress{T}"/> (finished iterations; and the phase at work, with
/// <see cref="TrainingRunOptions.ActivityProgress"/>), an <see cref="ILogger"/>, OpenTelemetry (spans and metrics named in
/// <see cref="Telemetry"/>) or its run folder (<see cref="TrainingRunOptions.RunDirectory"/>, <see cref="RunFolder"/>).</para>
/// </remarks>
public sealed class VariationalTrainer
{
    private readonly ILogger _logger;

    /// <summary>Creates a trainer, checking the options as a whole.</summary>
    /// <param name="backwardModel">The model that proposes prompts and samples hidden texts (may be the forward model).</param>
    /// <param name="options">The algorithm; <see cref="VariationalTrainerOptions.Dln1"/> by default.</param>
    /// <param name="run">The run settings (checkpoint, run folder, budget, decorators); the defaults by default.</param>
    /// <param name="logger">Receives a message per iteration, per layer update and per validation.</param>
    /// <exception cref="ArgumentException">The options contradict each other (for example a money budget without prices).</exception>
    public VariationalTrainer(ILanguageModel backwardModel, VariationalTrainerOptions? options = null, TrainingRunOptions? run = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(backwardModel);
        BackwardModel = backwardModel;
        Options = options ?? VariationalTrainerOptions.Dln1;
        RunOptions = run ?? new TrainingRunOptions();
        Options.Validate();
        RunOptions.Validate();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The model that proposes prompts and samples hidden texts.</summary>
    public ILanguageModel BackwardModel { get; }

    /// <summary>The algorithm.</summary>
    public VariationalTrainerOptions Options { get; }

    /// <summary>The run settings.</summary>
    public TrainingRunOptions RunOptions { get; }

    /// <summary>Called with the models of each run once they are built (for tests that inspect the pipelines).</summary>
    internal Action<RunModels>? ModelsBuilt { get; init; }

    /// <summary>Opens the run folder's calls.jsonl (path, append) instead of a file (for tests of failing disks).</summary>
    internal Func<string, bool, Stream>? OpenCallLog { get; init; }

    /// <summary>
    /// Trains the prompts of <paramref name="network"/> on <paramref name="train"/>, selecting by the mean metric
    /// (<see cref="VariationalTrainerOptions.Metric"/>) on <paramref name="dev"/>. Fails before the first call when a backend lacks a needed capability. Inputs that cannot
    /// fit a layer's context window are found before the first call, where the model counts tokens, and handled by
    /// <see cref="TrainingRunOptions.OverlongInputs"/> (skipped and reported by default); a request that overflows at run
    /// time costs its example only (<see cref="TrainingProgress.ContextOverflows"/>).
    /// </summary>
    /// <param name="network">The network; it holds the best prompts when training ends.</param>
    /// <param name="train">Training examples.</param>
    /// <param name="dev">Validation examples.</param>
    /// <param name="progress">Receives a report after the initial validation and after every iteration (with its validation, when it has one).</param>
    /// <param name="cancellationToken">Stops training; the last checkpoint stays valid.</param>
    /// <returns>
    /// The best prompts, dev accuracies and history. When a budget is reached (<see cref="TrainingRunOptions.Budget"/>,
    /// or a hard limit that throws <see cref="BudgetExceededException"/>), training stops early and returns what it has,
    /// with <see cref="TrainingResult.StopReason"/> set.
    /// </returns>
    public Task<TrainingResult> TrainAsync(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(network, train, dev, checkpoint: null, data: null, progress, cancellationToken);

    /// <summary>Trains on a dataset's train split, selecting by its dev split; a run folder's <c>config.json</c> and <c>report.md</c> name the dataset and give its <see cref="Dataset.SplitDescription"/> (see <see cref="TrainAsync(Dln, IReadOnlyList{Example}, IReadOnlyList{Example}, IProgress{TrainingProgress}?, CancellationToken)"/>).</summary>
    /// <param name="network">The network; it holds the best prompts when training ends.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="progress">Receives a report after the initial validation and after every iteration.</param>
    /// <param name="cancellationToken">Stops training; the last checkpoint stays valid.</param>
    /// <returns>The best prompts, dev accuracies and history.</returns>
    public Task<TrainingResult> TrainAsync(Dln network, Dataset dataset, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return RunAsync(network, dataset.Train, dataset.Dev, checkpoint: null, RunDataInfo.From(dataset), progress, cancellationToken);
    }

    /// <summary>
    /// Continues a run from its checkpoint (<see cref="TrainingRunOptions.CheckpointPath"/>). With a deterministic
    /// backend the final prompts equal those of an uninterrupted run.
    /// </summary>
    /// <param name="network">A network of the same shape as the one trained.</param>
    /// <param name="train">The same training examples.</param>
    /// <param name="dev">The same validation examples.</param>
    /// <param name="checkpoint">The checkpoint to continue from.</param>
    /// <param name="progress">Receives a report after every further iteration.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The result of the whole run.</returns>
    public Task<TrainingResult> ResumeAsync(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, TrainingCheckpoint checkpoint, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return RunAsync(network, train, dev, checkpoint, data: null, progress, cancellationToken);
    }

    /// <summary>
    /// Projects the calls and tokens of training <paramref name="network"/> with these options, without making any call,
    /// under <see cref="TrainingEstimateAssumptions.Default"/> (see <see cref="TrainingEstimate"/>).
    /// </summary>
    /// <param name="network">The network to train.</param>
    /// <param name="train">The training examples (their lengths drive the token estimate).</param>
    /// <param name="dev">The validation examples.</param>
    /// <returns>The projection.</returns>
    public TrainingEstimate Estimate(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev) =>
        Estimate(network, train, dev, TrainingEstimateAssumptions.Default);

    /// <summary>
    /// Projects the calls and tokens of training <paramref name="network"/> with these options under stated
    /// assumptions about the run's behaviour, without making any call: the expected calls and an upper bound (see
    /// <see cref="TrainingEstimate"/>). Measure the assumptions on a pilot run with
    /// <see cref="TrainingEstimateAssumptions.FromResult"/>.
    /// </summary>
    /// <param name="network">The network to train.</param>
    /// <param name="train">The training examples (their lengths drive the token estimate).</param>
    /// <param name="dev">The validation examples.</param>
    /// <param name="assumptions">What the run is assumed to do.</param>
    /// <returns>The projection.</returns>
    public TrainingEstimate Estimate(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, TrainingEstimateAssumptions assumptions)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(dev);
        ArgumentNullException.ThrowIfNull(assumptions);
        return TrainingEstimator.Estimate(network, train, dev, Options, RunOptions, assumptions);
    }

    private async Task<TrainingResult> RunAsync(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, TrainingCheckpoint? checkpoint, RunDataInfo? data, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(dev);

        // Everything that can be refused is refused here, before any call.
        TrainingData.CheckNotEmpty(train, dev);
        var plan = TrainingPlan.Create(network, BackwardModel, Options);
        TrainingData.CheckTargets(network, train, dev);
        var (fittingTrain, fittingDev, overlong) = TrainingData.CheckLengths(network, train, dev, RunOptions.OverlongInputs, plan);
        var examples = new TrainingData(fittingTrain, fittingDev, network.OutputLayer.OutputSpace, Options);

        var recorder = RunOptions.RunDirectory is null ? null : new RunRecorder(RunOptions.RunDirectory, RunOptions, _logger, OpenCallLog);
        var info = new TrainingRunInfo(network, BackwardModel, Options, RunOptions, plan, fittingTrain.Count, fittingDev.Count, checkpoint, RunOptions.CheckpointPath ?? recorder?.CheckpointPath, data)
        {
            OverlongInputs = overlong,
        };
        var activity = RunOptions.ActivityProgress is { } activityProgress ? new ActivityObserver(activityProgress) : null;
        var observer = new ObserverList([new TelemetryObserver(), new LoggingObserver(_logger), recorder, progress is null ? null : new ProgressObserver(progress), activity]);
        var models = new RunModels(network, BackwardModel, RunOptions, recorder, _logger, Options.Metric, activity);
        ModelsBuilt?.Invoke(models);
        using var session = new TrainingSession(info, models, recorder, observer, examples);
        return await session.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
