namespace DeepLanguageNetworks;

/// <summary>
/// The settings of one training run that are not the algorithm: where its checkpoint and run folder go, what it may
/// spend, how many failures it tolerates, and which runtime decorators the trainer adds around its models. Each is
/// validated when set and all of them together when the trainer is constructed. The algorithm's hyper-parameters are
/// in <see cref="VariationalTrainerOptions"/>.
/// </summary>
/// <remarks>
/// <para>Around every model of the run (the backward model and each layer's model) the trainer builds one pipeline, outermost
/// first: (activity counter →) telemetry → call log → usage tracking → cache → retry → concurrency limit → your model.
/// The usage tracker is always added (it counts the calls and tokens of the reports and budgets), the activity counter
/// with <see cref="ActivityProgress"/>, the call log with <see cref="LogCalls"/>, and each of the others only when <see cref="RuntimeDecorators"/> names it and your model's
/// pipeline has none of its kind (asked with <see cref="ILanguageModel.GetService"/>). The trainer disposes the pipelines
/// it built when the run ends; it never disposes your models.</para>
/// </remarks>
public sealed record TrainingRunOptions
{
    private readonly int _maxFailedIterations = 3;
    private readonly int? _maxConcurrency;
    private readonly RuntimeDecorators _runtimeDecorators = RuntimeDecorators.All;
    private readonly OverlongInputPolicy _overlongInputs = OverlongInputPolicy.Skip;

    /// <summary>
    /// A file where the trainer writes its full state after every iteration (atomically: temporary file, flush, rename),
    /// so that <see cref="VariationalTrainer.ResumeAsync"/> can continue a stopped run. Null: <c>checkpoint.json</c> in
    /// <see cref="RunDirectory"/> when that is set, otherwise no checkpoint.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>
    /// A folder where the trainer keeps a readable record of the run (created when absent; see <see cref="RunFolder"/>):
    /// <c>config.json</c> (the options, the network's shape and initial prompts, the models' ids and endpoints, never
    /// credentials), <c>checkpoint.json</c> (unless <see cref="CheckpointPath"/> names another file), <c>history.jsonl</c>
    /// (one JSON line per iteration, flushed as it completes), <c>calls.jsonl</c> with <see cref="LogCalls"/>, and at
    /// the end <c>report.md</c> and the training curve drawn by <see cref="TrainingCurveRenderer"/>. Training into a folder
    /// that holds an earlier run replaces its files; resuming into it continues them. Null (default): no run folder.
    /// </summary>
    public string? RunDirectory { get; init; }

    /// <summary>
    /// Write one JSON line per language model request to <c>calls.jsonl</c> in <see cref="RunDirectory"/>: operation,
    /// role, layer, model, the backend's latency and, apart, the time the call queued for a concurrency slot, tokens,
    /// whether the cache answered. Default false; ignored without a run folder.
    /// </summary>
    public bool LogCalls { get; init; }

    /// <summary>
    /// With <see cref="LogCalls"/>, also write each request's prompt and the response text (the file grows large, and
    /// holds the data). Default false; ignored without a run folder.
    /// </summary>
    public bool LogCallText { get; init; }

    /// <summary>
    /// Draws the training curve (train and dev accuracy, ELBO per iteration) into <see cref="RunDirectory"/> when training
    /// ends, for example <c>ScottPlotTrainingCurveRenderer</c> from the Dln.Plotting package. Null (default): no picture;
    /// the report and history are written all the same. Ignored without a run folder.
    /// </summary>
    public ITrainingCurveRenderer? TrainingCurveRenderer { get; init; }

    /// <summary>
    /// Receives what the run is doing while an iteration runs (<see cref="TrainingActivity"/>): the phase (forward,
    /// posterior, proposals, scoring, validation), its requests done out of planned, and the run's calls, tokens and
    /// cost so far; a report when a phase begins, one per completed request and one when it ends. Reports arrive in
    /// order, one at a time, on the thread that completed a request: keep the handler quick. The reports of finished
    /// iterations go to the <c>progress</c> argument of <see cref="VariationalTrainer.TrainAsync(Dln, IReadOnlyList{Example}, IReadOnlyList{Example}, IProgress{TrainingProgress}?, CancellationToken)"/>.
    /// Null (default): none.
    /// </summary>
    public IProgress<TrainingActivity>? ActivityProgress { get; init; }

    /// <summary>
    /// Error budget. An iteration whose backend calls fail (after the retry decorator gave up) is skipped with every
    /// prompt unchanged; a validation whose calls fail is skipped too, leaving that iteration's dev accuracy unmeasured.
    /// Each counts as one failure (recorded in <see cref="TrainingProgress.Error"/>); once more than this many have
    /// failed, training stops with <see cref="TrainingFailedException"/>, whose message gives the number of failures,
    /// the number of failed calls and the last error, and the last checkpoint stays the last good state. Cancellation
    /// by the caller, capability errors, invalid arguments, budget stops and errors the backend marks as permanent are
    /// not failures. Default 3.
    /// </summary>
    public int MaxFailedIterations { get => _maxFailedIterations; init => _maxFailedIterations = OptionGuard.ZeroOrMore(value, nameof(MaxFailedIterations)); }

    /// <summary>
    /// Limits on calls, tokens or money. Checked at every iteration boundary: when one is reached, training stops
    /// cleanly, keeps the best prompts so far and reports why in <see cref="TrainingResult.StopReason"/>. A limit on
    /// money (<see cref="UsageBudget.MaxCost"/>) needs <see cref="Prices"/>.
    /// </summary>
    public UsageBudget? Budget { get; init; }

    /// <summary>
    /// What happens to a train or dev example whose input cannot fit the context window of a layer's model. Checked in
    /// <see cref="VariationalTrainer.TrainAsync(Dln, IReadOnlyList{Example}, IReadOnlyList{Example}, IProgress{TrainingProgress}?, CancellationToken)"/>
    /// before the first call, for every layer whose model reports its <see cref="LanguageModelCapabilities.ContextLength"/>
    /// and counts tokens (<see cref="ILanguageModelTokenizer"/>, as the local model does): the layer's template is rendered
    /// with its prompt and the input, and the room for its output is added (see <see cref="OverlongInputPolicy"/>; later
    /// layers are checked with an empty hidden text). Skipped and truncated examples are listed in
    /// <see cref="TrainingResult.OverlongInputs"/>, the log and the run folder (<c>overlong-inputs.jsonl</c>, <c>report.md</c>).
    /// Default <see cref="OverlongInputPolicy.Skip"/>. Whatever the policy, a request that overflows at run time (a longer
    /// learned prompt, a long hidden text, a backend that cannot count tokens) costs only its example: see
    /// <see cref="TrainingProgress.ContextOverflows"/>.
    /// </summary>
    public OverlongInputPolicy OverlongInputs
    {
        get => _overlongInputs;
        init => _overlongInputs = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(OverlongInputs), value, "OverlongInputs must be Skip, Truncate or Fail.");
    }

    /// <summary>Prices per model, to count money as well as tokens (needed for a money budget).</summary>
    public PriceTable? Prices { get; init; }

    /// <summary>
    /// Which runtime decorators the trainer may add around each model of the run; each is added only where the model's
    /// pipeline lacks one of its kind (see the remarks of <see cref="TrainingRunOptions"/>). Default
    /// <see cref="DeepLanguageNetworks.RuntimeDecorators.All"/>; <see cref="DeepLanguageNetworks.RuntimeDecorators.None"/>
    /// sends the calls straight to your models (through the usage tracker only).
    /// </summary>
    public RuntimeDecorators RuntimeDecorators
    {
        get => _runtimeDecorators;
        init => _runtimeDecorators = (value & ~RuntimeDecorators.All) == 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RuntimeDecorators), value, "RuntimeDecorators must combine Telemetry, Cache, Retry and ConcurrencyLimit.");
    }

    /// <summary>
    /// Where the cache the trainer adds keeps responses. Null (default): an in-memory cache for the run only, which
    /// already makes repeated identical calls free. Give a <see cref="SqliteCacheStore"/> (or any store) to keep responses
    /// across runs; the trainer does not dispose it. Unused for a model whose pipeline already has a cache.
    /// </summary>
    public ILanguageModelCacheStore? CacheStore { get; init; }

    /// <summary>Retry settings of the retry decorator the trainer adds, for transient failures (429, 5xx, timeouts); null takes the defaults.</summary>
    public LanguageModelRetryOptions? Retry { get; init; }

    /// <summary>
    /// Most calls in flight per model, for the concurrency limit the trainer adds; null (default) takes the backend's
    /// <see cref="LanguageModelCapabilities.DefaultMaxConcurrency"/> (1 for a local model, 16 for hosted ones).
    /// </summary>
    public int? MaxConcurrency
    {
        get => _maxConcurrency;
        init => _maxConcurrency = value is null or > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), value, "MaxConcurrency must be at least 1.");
    }

    /// <summary>
    /// Checks the settings as a whole (each is checked when set; this adds the rules between them).
    /// <see cref="VariationalTrainer"/> calls it when constructed.
    /// </summary>
    /// <exception cref="ArgumentException">Two settings contradict each other; the message names them.</exception>
    public void Validate()
    {
        if (Budget?.MaxCost is not null && Prices is null)
        {
            throw new ArgumentException(
                $"Budget sets MaxCost ({Budget}), but Prices is null: money is counted only with a price table. Set TrainingRunOptions.Prices.",
                nameof(Prices));
        }
    }
}
