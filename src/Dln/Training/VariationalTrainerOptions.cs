using System.ComponentModel;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>
/// The algorithm of <see cref="VariationalTrainer"/>: its hyper-parameters, each validated when set and all of them
/// together when the trainer is constructed. Defaults are the paper's published DLN-1 settings (20 candidates, batches
/// of 20, 20 iterations, backward temperature 0.7); <see cref="Dln2"/> gives its DLN-2 settings. Where a run keeps
/// its checkpoint, what it may spend and how its calls are decorated are run settings: <see cref="TrainingRunOptions"/>.
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
    private readonly int _patience = 2;
    private readonly double _posteriorTemperature = 1.0;
    private readonly double _trustRegionFactor;
    private readonly double _explorationPenalty;
    private readonly double _hintSampleProbability = 0.5;
    private readonly int _maxPromptCharacters = 4000;
    private readonly int _fewShotExamples;
    private readonly int _maxExamplesInMetaPrompt = 20;
    private readonly IReadOnlyList<int>? _trainedLayers;
    private readonly IMetric _metric = Metrics.ExactMatch;
    private readonly double _successScore = 1;
    private readonly int _validationChunkSize = 16;

    /// <summary>The paper's DLN-1 settings (the defaults).</summary>
    public static VariationalTrainerOptions Dln1 => new();

    /// <summary>
    /// The paper's DLN-2 settings (its date-understanding script): batches of 10, 10 candidates, 5 hidden samples per
    /// example, memory 2, patience 2, trust region 1, exploration penalty 1 decayed over training, posterior temperature 1.
    /// </summary>
    public static VariationalTrainerOptions Dln2 => new()
    {
        BatchSize = 10,
        PromptCandidates = 10,
        HiddenSamples = 5,
        MemorySize = 2,
        Patience = 2,
        TrustRegionFactor = 1,
        ExplorationPenalty = 1,
        PosteriorTemperature = 1,
    };

    /// <summary>Training iterations (one batch each). Default 20. With 0 the trainer only measures the initial prompts on dev (a 0-shot or, with <see cref="FewShotExamples"/>, an n-shot baseline of the same engine).</summary>
    public int Iterations { get => _iterations; init => _iterations = OptionGuard.ZeroOrMore(value, nameof(Iterations)); }

    /// <summary>Examples per training batch. Default 20 (DLN-2: 10).</summary>
    public int BatchSize { get => _batchSize; init => _batchSize = OptionGuard.AtLeastOne(value, nameof(BatchSize)); }

    /// <summary>Candidate prompts per layer update, counting the current prompt: the backward model proposes PromptCandidates − 1 new ones. Default 20 (DLN-2: 10).</summary>
    public int PromptCandidates { get => _promptCandidates; init => _promptCandidates = OptionGuard.AtLeastOne(value, nameof(PromptCandidates)); }

    /// <summary>Hidden texts sampled from the posterior per example and hidden layer (K). Default 5.</summary>
    public int HiddenSamples { get => _hiddenSamples; init => _hiddenSamples = OptionGuard.AtLeastOne(value, nameof(HiddenSamples)); }

    /// <summary>Temperature of the backward model for prompt proposals and posterior samples. Default 0.7.</summary>
    public double BackwardTemperature { get => _backwardTemperature; init => _backwardTemperature = OptionGuard.Between(value, 0, 2, nameof(BackwardTemperature)); }

    /// <summary>Maximum tokens of a prompt proposal. Default 512.</summary>
    public int BackwardMaxTokens { get => _backwardMaxTokens; init => _backwardMaxTokens = OptionGuard.AtLeastOne(value, nameof(BackwardMaxTokens)); }

    /// <summary>Dev accuracy is measured every this many iterations (and after the last one). Default 2.</summary>
    public int ValidationInterval { get => _validationInterval; init => _validationInterval = OptionGuard.AtLeastOne(value, nameof(ValidationInterval)); }

    /// <summary>Measure dev accuracy of the initial prompts before training. Default true.</summary>
    public bool EvaluateBeforeTraining { get; init; } = true;

    /// <summary>How many best (prompts, dev accuracy) entries are remembered and offered again as candidates. Default 2; 0 disables.</summary>
    public int MemorySize { get => _memorySize; init => _memorySize = OptionGuard.ZeroOrMore(value, nameof(MemorySize)); }

    /// <summary>
    /// Validations without improvement of the best dev accuracy before the best prompts are restored (backtracking).
    /// Default 2; 0 restores after every validation that does not improve; −1 never backtracks.
    /// </summary>
    public int Patience
    {
        get => _patience;
        init => _patience = value >= -1 ? value : throw new ArgumentOutOfRangeException(nameof(Patience), value, "Patience must be -1 (never backtrack) or non-negative.");
    }

    /// <summary>The former name of <see cref="Patience"/>, kept so that code and configuration files that set it still work.</summary>
    [Obsolete("Renamed to Patience: validations without improvement before backtracking.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Tolerance
    {
        get => null;
        init
        {
            if (value is { } patience)
            {
                Patience = patience;
            }
        }
    }

    /// <summary>
    /// Whether an iteration whose whole batch is already answered correctly skips the prompt update (it then spends only
    /// its forward pass). <see langword="null"/> (the default) applies the paper's rule: skip with accuracy scoring
    /// (such a batch carries no signal) and for networks with hidden layers; a one-layer network scored by
    /// log-probabilities proposes and selects anyway, since the likelihood of the targets can still improve.
    /// <see langword="true"/> always skips such a batch; <see langword="false"/> never does.
    /// </summary>
    public bool? SkipUpdateWhenBatchCorrect { get; init; }

    /// <summary>How output-layer candidates are scored. Default <see cref="OutputScoring.Auto"/>.</summary>
    public OutputScoring OutputScoring { get; init; } = OutputScoring.Auto;

    /// <summary>
    /// What a good answer is (see <see cref="IMetric"/>): the validations select prompts by its mean on dev
    /// (<see cref="TrainingProgress.DevScore"/>); the proposer is shown the batch outputs that score below
    /// <see cref="SuccessScore"/> as errors, with the metric's feedback; and with <see cref="OutputScoring.Accuracy"/>
    /// (also what <see cref="OutputScoring.Auto"/> resolves to without log-probabilities) candidates are scored by it.
    /// Default <see cref="Metrics.ExactMatch"/> (class correctness on a classification layer: the paper's accuracy).
    /// A checkpoint records it, and a run resumes only with the same metric.
    /// </summary>
    [JsonIgnore]
    public IMetric Metric { get => _metric; init => _metric = value ?? throw new ArgumentNullException(nameof(Metric), "Metric must not be null; the default is Metrics.ExactMatch."); }

    /// <summary>
    /// The lowest metric score that counts as a success: a batch output scoring at least this is shown to the proposer
    /// among the answers the student got right, and one below among those it got wrong (with the metric's feedback);
    /// a batch of successes only skips its update where <see cref="SkipUpdateWhenBatchCorrect"/> says so. Default 1 (full
    /// marks); lower it for a metric with partial credit or a judge (0.75: a rating of 4 of 5). In (0, 1].
    /// </summary>
    public double SuccessScore
    {
        get => _successScore;
        init => _successScore = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(SuccessScore), value, "SuccessScore must be in (0, 1]: the lowest metric score that counts as a success.");
    }

    /// <summary>Temperature of the posterior sharpening weights over the K hidden samples; below 1 sharpens, 100 or more gives uniform weights. Default 1.</summary>
    public double PosteriorTemperature { get => _posteriorTemperature; init => _posteriorTemperature = OptionGuard.PositiveFinite(value, nameof(PosteriorTemperature)); }

    /// <summary>Add the hidden layer's own log-likelihood of a sample (the prior) to its sharpening logit. Default true.</summary>
    public bool PosteriorIncludesPrior { get; init; } = true;

    /// <summary>Subtract the proposal's log q of a sample (true importance weighting; needs sampled-token log-probabilities from the backward model). Default false.</summary>
    public bool PosteriorCorrectsForProposal { get; init; }

    /// <summary>Keep only the best posterior sample per example (weight 1) instead of weighting all K. Default false.</summary>
    public bool UseBestHiddenSampleOnly { get; init; }

    /// <summary>Probability that a posterior sample uses the hint template (which shows the expected answer) rather than the layer's own template. Default 0.5.</summary>
    public double HintSampleProbability { get => _hintSampleProbability; init => _hintSampleProbability = OptionGuard.Between(value, 0, 1, nameof(HintSampleProbability)); }

    /// <summary>Weight λ of the KL trust region that keeps the output layer's class distribution close to the current prompt's. Default 0 (DLN-2 preset: 1).</summary>
    public double TrustRegionFactor { get => _trustRegionFactor; init => _trustRegionFactor = OptionGuard.NonNegativeFinite(value, nameof(TrustRegionFactor)); }

    /// <summary>Weight of the penalty on hidden-layer prompts that make the thoughts behind wrong answers likely (exploration). Default 0 (DLN-2 preset: 1).</summary>
    public double ExplorationPenalty { get => _explorationPenalty; init => _explorationPenalty = OptionGuard.NonNegativeFinite(value, nameof(ExplorationPenalty)); }

    /// <summary>Decay the exploration penalty linearly to 0 over the iterations (λ_t = λ·(1 − t/T)). Default true.</summary>
    public bool DecayExplorationPenalty { get; init; } = true;

    /// <summary>
    /// Draw class-balanced batches (round-robin over the output classes, each class and the batch in random
    /// order). Default true; ignored for free-text outputs, whose batches are plain random draws.
    /// </summary>
    public bool BalancedBatches { get; init; } = true;

    /// <summary>Longest prompt kept from a proposal, in characters; longer ones are cut at a word boundary. Default 4000.</summary>
    public int MaxPromptCharacters { get => _maxPromptCharacters; init => _maxPromptCharacters = OptionGuard.AtLeastOne(value, nameof(MaxPromptCharacters)); }

    /// <summary>Most batch examples shown in one backward meta-prompt (a random subset when the batch is larger). Default 20.</summary>
    public int MaxExamplesInMetaPrompt { get => _maxExamplesInMetaPrompt; init => _maxExamplesInMetaPrompt = OptionGuard.AtLeastOne(value, nameof(MaxExamplesInMetaPrompt)); }

    /// <summary>
    /// In-context examples given to the output layer, drawn class-balanced from the training set: a new set for every
    /// batch and for every validation (0 = zero-shot). When training ends the network keeps the set of the best
    /// validation in <see cref="LanguageLayer.Demonstrations"/>, so a test evaluation uses one fixed set. Default 0.
    /// </summary>
    public int FewShotExamples { get => _fewShotExamples; init => _fewShotExamples = OptionGuard.ZeroOrMore(value, nameof(FewShotExamples)); }

    /// <summary>
    /// Which layers are trained (by 0-based index; in a graph the layer index of a node, <c>network.GetNode("facts").Index</c>);
    /// <see langword="null"/> (default) trains all. Checked against the network when training starts, before any call.
    /// </summary>
    public IReadOnlyList<int>? TrainedLayers
    {
        get => _trainedLayers;
        init => _trainedLayers = value is null || value.All(l => l >= 0)
            ? value?.ToArray()
            : throw new ArgumentOutOfRangeException(nameof(TrainedLayers), $"TrainedLayers names a negative layer ({string.Join(", ", value.Where(l => l < 0))}); layers are numbered from 0.");
    }

    /// <summary>
    /// Race the candidate prompts of every layer update (successive halving) instead of scoring each on the whole batch:
    /// all are scored on a first slice, the better part goes on to a larger slice, until one is left or the slice is
    /// the whole batch (see <see cref="CandidateRacingOptions"/> for the schedule). Used for the output layer and for
    /// hidden layers. Far fewer scoring calls for a small risk of dropping a candidate that would have won on the whole
    /// batch. An example that does not fit the context window under a candidate of a round is left out of that round
    /// for every candidate of the round (<see cref="LayerUpdate.ContextOverflows"/>). <see langword="null"/> (the
    /// default, and in <see cref="Dln1"/> and <see cref="Dln2"/>, which are the paper's method): every candidate is
    /// scored on every example.
    /// </summary>
    public CandidateRacingOptions? CandidateRacing { get; init; }

    /// <summary>
    /// Let a validation stop as soon as its result can no longer matter: when, even if every dev item not yet evaluated
    /// were answered right, the prompts could not beat the best dev accuracy (so they would neither become the best
    /// prompts nor enter the memory, which only ever takes a new best). Dev items that do not fit the context window
    /// leave the accuracy's denominator, as in a full validation, and the bound counts only those found so far (an
    /// item left that does not fit can only lower the reachable accuracy). The bound is exact, so best-dev tracking, the
    /// memory and backtracking choose what a full validation would; only calls are saved. Items are evaluated
    /// <see cref="ValidationChunkSize"/> at a time, those that earlier validations missed most often first (hard items
    /// tend to be hard under any prompt, so a prompt that cannot win shows it sooner). A validation that stopped reports the accuracy of
    /// the items it evaluated and their number (<see cref="TrainingProgress.DevItemsEvaluated"/>). Default false (the
    /// paper measures every validation in full, and the curve of a run shows every dev accuracy).
    /// </summary>
    public bool StopValidationEarly { get; init; }

    /// <summary>
    /// With <see cref="StopValidationEarly"/>, how many dev items are evaluated between two checks of the bound (all
    /// of them at once, as the calls of a phase are). Smaller chunks stop sooner; larger ones keep more calls in
    /// flight. Default 16. Unused without <see cref="StopValidationEarly"/>.
    /// </summary>
    public int ValidationChunkSize { get => _validationChunkSize; init => _validationChunkSize = OptionGuard.AtLeastOne(value, nameof(ValidationChunkSize)); }

    /// <summary>The seed of every random choice (batches, example order, sampling seeds, posterior templates). Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Checks the options as a whole (each option is checked when set; this adds the rules between options).
    /// <see cref="VariationalTrainer"/> calls it when constructed.
    /// </summary>
    /// <exception cref="ArgumentException">Two options contradict each other; the message names them.</exception>
    public void Validate()
    {
        if (Iterations == 0 && !EvaluateBeforeTraining)
        {
            throw new ArgumentException(
                "Iterations is 0 and EvaluateBeforeTraining is false: the run would neither train nor measure anything. Set Iterations above 0, or EvaluateBeforeTraining to true for a baseline.",
                nameof(EvaluateBeforeTraining));
        }
    }
}
