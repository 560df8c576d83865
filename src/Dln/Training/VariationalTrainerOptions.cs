namespace DeepLanguageNetworks;

/// <summary>
/// Settings of <see cref="VariationalTrainer"/>, validated when set. Defaults are the paper's published DLN-1 settings
/// (20 candidates, batches of 20, 20 iterations, backward temperature 0.7); <see cref="Dln2"/> gives its DLN-2 settings.
/// </summary>
public sealed record VariationalTrainerOptions
{
    private readonly int _iterations = 20;
    private readonly int _batchSize = 20;
    private readonly int _promptCandidates = 20;
    private readonly int _hiddenSamples = 5;
    private readonly double _backwardTemperature = 0.7;
    private readonly int _backwardMaxTokens = 512;
    private readonly int _validationInterval = 2;
    private readonly int _memorySize = 2;
    private readonly int _tolerance = 2;
    private readonly double _posteriorTemperature = 1.0;
    private readonly double _trustRegionFactor;
    private readonly double _explorationPenalty;
    private readonly double _hintSampleProbability = 0.5;
    private readonly int _maxPromptCharacters = 4000;
    private readonly int _fewShotExamples;
    private readonly int _maxExamplesInMetaPrompt = 20;
    private readonly int _maxFailedIterations = 3;
    private readonly int? _maxConcurrency;

    /// <summary>The paper's DLN-1 settings (the defaults).</summary>
    public static VariationalTrainerOptions Dln1 => new();

    /// <summary>
    /// The paper's DLN-2 settings (its date-understanding script): batches of 10, 10 candidates, 5 hidden samples per
    /// example, memory 2, tolerance 2, trust region 1, exploration penalty 1 decayed over training, posterior temperature 1.
    /// </summary>
    public static VariationalTrainerOptions Dln2 => new()
    {
        BatchSize = 10,
        PromptCandidates = 10,
        HiddenSamples = 5,
        MemorySize = 2,
        Tolerance = 2,
        TrustRegionFactor = 1,
        ExplorationPenalty = 1,
        PosteriorTemperature = 1,
    };

    /// <summary>Training iterations (one batch each). Default 20. With 0 the trainer only measures the initial prompts on dev (a 0-shot or, with <see cref="FewShotExamples"/>, an n-shot baseline of the same engine).</summary>
    public int Iterations { get => _iterations; init => _iterations = Positive(value, nameof(Iterations), allowZero: true); }

    /// <summary>Examples per training batch. Default 20 (DLN-2: 10).</summary>
    public int BatchSize { get => _batchSize; init => _batchSize = Positive(value, nameof(BatchSize)); }

    /// <summary>Candidate prompts per layer update, counting the current prompt: the backward model proposes PromptCandidates − 1 new ones. Default 20 (DLN-2: 10).</summary>
    public int PromptCandidates { get => _promptCandidates; init => _promptCandidates = Positive(value, nameof(PromptCandidates)); }

    /// <summary>Hidden texts sampled from the posterior per example and hidden layer (K). Default 5.</summary>
    public int HiddenSamples { get => _hiddenSamples; init => _hiddenSamples = Positive(value, nameof(HiddenSamples)); }

    /// <summary>Temperature of the backward model for prompt proposals and posterior samples. Default 0.7.</summary>
    public double BackwardTemperature
    {
        get => _backwardTemperature;
        init => _backwardTemperature = value is >= 0 and <= 2 ? value : throw new ArgumentOutOfRangeException(nameof(BackwardTemperature), value, "BackwardTemperature must be in [0, 2].");
    }

    /// <summary>Maximum tokens of a prompt proposal. Default 512.</summary>
    public int BackwardMaxTokens { get => _backwardMaxTokens; init => _backwardMaxTokens = Positive(value, nameof(BackwardMaxTokens)); }

    /// <summary>Dev accuracy is measured every this many iterations (and after the last one). Default 2.</summary>
    public int ValidationInterval { get => _validationInterval; init => _validationInterval = Positive(value, nameof(ValidationInterval)); }

    /// <summary>Measure dev accuracy of the initial prompts before training. Default true.</summary>
    public bool EvaluateBeforeTraining { get; init; } = true;

    /// <summary>How many best (prompts, dev accuracy) entries are remembered and offered again as candidates. Default 2; 0 disables.</summary>
    public int MemorySize { get => _memorySize; init => _memorySize = Positive(value, nameof(MemorySize), allowZero: true); }

    /// <summary>
    /// Validations without improvement before the best prompts are restored (backtracking). Default 2; 0 restores
    /// after every validation that does not improve; −1 never backtracks.
    /// </summary>
    public int Tolerance
    {
        get => _tolerance;
        init => _tolerance = value >= -1 ? value : throw new ArgumentOutOfRangeException(nameof(Tolerance), value, "Tolerance must be -1 (never backtrack) or non-negative.");
    }

    /// <summary>Skip the prompt update when every example of the batch is already answered correctly. Default true.</summary>
    public bool SkipUpdateWhenBatchCorrect { get; init; } = true;

    /// <summary>How output-layer candidates are scored. Default <see cref="OutputScoring.Auto"/>.</summary>
    public OutputScoring OutputScoring { get; init; } = OutputScoring.Auto;

    /// <summary>Temperature of the posterior sharpening weights over the K hidden samples; below 1 sharpens, 100 or more gives uniform weights. Default 1.</summary>
    public double PosteriorTemperature
    {
        get => _posteriorTemperature;
        init => _posteriorTemperature = value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(PosteriorTemperature), value, "PosteriorTemperature must be positive.");
    }

    /// <summary>Add the hidden layer's own log-likelihood of a sample (the prior) to its sharpening logit. Default true.</summary>
    public bool PosteriorIncludesPrior { get; init; } = true;

    /// <summary>Subtract the proposal's log q of a sample (true importance weighting; needs sampled-token log-probabilities from the backward model). Default false.</summary>
    public bool PosteriorCorrectsForProposal { get; init; }

    /// <summary>Keep only the best posterior sample per example (weight 1) instead of weighting all K. Default false.</summary>
    public bool UseBestHiddenSampleOnly { get; init; }

    /// <summary>Probability that a posterior sample uses the hint template (which shows the expected answer) rather than the layer's own template. Default 0.5.</summary>
    public double HintSampleProbability
    {
        get => _hintSampleProbability;
        init => _hintSampleProbability = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(HintSampleProbability), value, "HintSampleProbability must be in [0, 1].");
    }

    /// <summary>Weight λ of the KL trust region that keeps the output layer's class distribution close to the current prompt's. Default 0 (DLN-2 preset: 1).</summary>
    public double TrustRegionFactor
    {
        get => _trustRegionFactor;
        init => _trustRegionFactor = value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(TrustRegionFactor), value, "TrustRegionFactor must be non-negative.");
    }

    /// <summary>Weight of the penalty on hidden-layer prompts that make the thoughts behind wrong answers likely (exploration). Default 0 (DLN-2 preset: 1).</summary>
    public double ExplorationPenalty
    {
        get => _explorationPenalty;
        init => _explorationPenalty = value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(ExplorationPenalty), value, "ExplorationPenalty must be non-negative.");
    }

    /// <summary>Decay the exploration penalty linearly to 0 over the iterations (λ_t = λ·(1 − t/T)). Default true.</summary>
    public bool DecayExplorationPenalty { get; init; } = true;

    /// <summary>Draw class-balanced batches (round-robin over classes). Default true; ignored for free-text outputs.</summary>
    public bool BalancedBatches { get; init; } = true;

    /// <summary>Longest prompt kept from a proposal, in characters; longer ones are cut at a word boundary. Default 4000.</summary>
    public int MaxPromptCharacters { get => _maxPromptCharacters; init => _maxPromptCharacters = Positive(value, nameof(MaxPromptCharacters)); }

    /// <summary>Most batch examples shown in one backward meta-prompt (a random subset when the batch is larger). Default 20.</summary>
    public int MaxExamplesInMetaPrompt { get => _maxExamplesInMetaPrompt; init => _maxExamplesInMetaPrompt = Positive(value, nameof(MaxExamplesInMetaPrompt)); }

    /// <summary>
    /// In-context examples given to the output layer, drawn class-balanced from the training set: a new set for every
    /// batch and for every validation (0 = zero-shot). When training ends the network keeps the set of the best
    /// validation in <see cref="LanguageLayer.Demonstrations"/>, so a test evaluation uses one fixed set. Default 0.
    /// </summary>
    public int FewShotExamples { get => _fewShotExamples; init => _fewShotExamples = Positive(value, nameof(FewShotExamples), allowZero: true); }

    /// <summary>Which layers are trained (by 0-based index); <see langword="null"/> trains all.</summary>
    public IReadOnlyList<int>? TrainedLayers { get; init; }

    /// <summary>
    /// Error budget. An iteration whose backend calls fail (after the retry decorator gave up) is skipped with every
    /// prompt unchanged; a validation whose calls fail is skipped too, leaving that iteration's dev accuracy unmeasured.
    /// Each counts as one failure (recorded in <see cref="TrainingProgress.Error"/>); once more than this many have
    /// failed, training stops with <see cref="TrainingFailedException"/>, whose message gives the number of failures,
    /// the number of failed calls and the last error, and the last checkpoint stays the last good state. Cancellation
    /// by the caller, capability errors, invalid arguments and budget stops are not failures. Default 3.
    /// </summary>
    public int MaxFailedIterations { get => _maxFailedIterations; init => _maxFailedIterations = Positive(value, nameof(MaxFailedIterations), allowZero: true); }

    /// <summary>
    /// A file where the trainer writes its full state after every iteration (atomically: temporary file, flush, rename),
    /// so that <see cref="VariationalTrainer.ResumeAsync"/> can continue a stopped run. Null: <c>checkpoint.json</c> in
    /// <see cref="RunDirectory"/> when that is set, otherwise no checkpoint.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>
    /// A folder where the trainer keeps a readable record of the run (created when absent; see <see cref="RunFolder"/>):
    /// <c>config.json</c> (the settings, the network's shape and initial prompts, the models' ids and endpoints, never
    /// credentials), <c>checkpoint.json</c> (unless <see cref="CheckpointPath"/> names another file), <c>history.jsonl</c>
    /// (one JSON line per iteration, flushed as it completes), <c>calls.jsonl</c> with <see cref="LogCalls"/>, and at
    /// the end <c>report.md</c> and the training curve drawn by <see cref="TrainingCurveRenderer"/>. Training into a folder
    /// that holds an earlier run replaces its files; resuming into it continues them. Null (default): no run folder.
    /// </summary>
    public string? RunDirectory { get; init; }

    /// <summary>
    /// Write one JSON line per language model request to <c>calls.jsonl</c> in <see cref="RunDirectory"/>: operation,
    /// role, layer, model, latency, tokens, whether the cache answered. Default false; ignored without a run folder.
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
    /// Wrap every model of the run in the library's runtime decorators (telemetry, usage tracking, response cache with
    /// in-flight de-duplication, retries of transient failures, concurrency limit). Default true. With false the models are
    /// only wrapped for usage tracking; use this when you composed your own pipeline with <see cref="LanguageModelBuilder"/>.
    /// </summary>
    public bool UseRuntimeDecorators { get; init; } = true;

    /// <summary>
    /// Where responses are cached. Null (default): an in-memory cache for the run only, which already makes repeated
    /// identical calls free. Give a <see cref="SqliteCacheStore"/> (or any store) to keep responses across runs.
    /// </summary>
    public ILanguageModelCacheStore? CacheStore { get; init; }

    /// <summary>Most calls in flight per model; null (default) takes the backend's <see cref="LanguageModelCapabilities.DefaultMaxConcurrency"/> (1 for a local model, 16 for hosted ones).</summary>
    public int? MaxConcurrency
    {
        get => _maxConcurrency;
        init => _maxConcurrency = value is null or > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), value, "MaxConcurrency must be at least 1.");
    }

    /// <summary>Retry settings for transient failures (429, 5xx, timeouts); null takes the defaults.</summary>
    public LanguageModelRetryOptions? Retry { get; init; }

    /// <summary>
    /// Limits on calls, tokens or money. Checked at every iteration boundary: when one is reached, training stops
    /// cleanly, keeps the best prompts so far and reports why in <see cref="TrainingResult.StopReason"/>.
    /// </summary>
    public UsageBudget? Budget { get; init; }

    /// <summary>Prices per model, to count money as well as tokens (needed for a money budget).</summary>
    public PriceTable? Prices { get; init; }

    /// <summary>The seed of every random choice (batches, example order, sampling seeds, posterior templates). Default 42.</summary>
    public int Seed { get; init; } = 42;

    private static int Positive(int value, string name, bool allowZero = false) =>
        value > 0 || (allowZero && value == 0)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be {(allowZero ? "zero or more" : "at least 1")}.");
}
