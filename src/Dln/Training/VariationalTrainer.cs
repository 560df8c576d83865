using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepLanguageNetworks;

/// <summary>
/// Learns the prompts of a <see cref="Dln"/> of any depth. One engine covers the paper's DLN-1 (one layer: propose
/// prompts, keep the one under which the targets are most likely) and DLN-2 and deeper networks (hidden texts are
/// latent variables: sample them from a posterior proposal, weight them, and choose every layer's prompt by its term of
/// the ELBO). <see cref="VariationalTrainerOptions.Dln1"/> and <see cref="VariationalTrainerOptions.Dln2"/> are presets.
/// </summary>
/// <remarks>
/// <para>One iteration, for a network with layers 0..L−1:</para>
/// <list type="number">
/// <item>Draw a (class-balanced) batch and run the network forward (temperature 0): hidden texts h, answers ŷ.</item>
/// <item>Skip the update when every answer is right (<see cref="VariationalTrainerOptions.SkipUpdateWhenBatchCorrect"/>).</item>
/// <item>One layer: the backward model proposes N−1 prompts; with the current prompt and remembered good prompts they
/// are scored by the mean log-likelihood of the targets (or accuracy); the best is kept.</item>
/// <item>Two or more layers, from the last hidden layer down to the first: sample K hidden texts per example from the
/// posterior proposal (half with a hint template that shows the expected outcome, half from the layer's own template,
/// at the backward temperature); weight them by softmax((log-likelihood of the next layer's target given the sample +
/// the layer's own log-likelihood of the sample) / T). The output layer's prompt is chosen first by the weighted
/// log-likelihood of the targets over the samples (minus an optional KL trust region); the weights are then recomputed
/// with the chosen output prompt, and the hidden layer's prompt is chosen by the weighted mean log-likelihood of the
/// samples (minus a decaying penalty on the hidden texts that led to errors).</item>
/// <item>Targets propagate backward: the target of the last hidden layer's posterior is the example's answer; the
/// target of hidden layer l &lt; L−2 is the best posterior sample h* of layer l+1, and its likelihood term is layer
/// l+1's mean log-likelihood of that h* given the sample of layer l.</item>
/// <item>Every <see cref="VariationalTrainerOptions.ValidationInterval"/> iterations, and after the last one, measure dev
/// accuracy: track the best prompts, remember the top ones, and restore the best after too many validations without
/// improvement. The network ends with the best prompts.</item>
/// </list>
/// <para>Every call of a phase is issued at once; bound concurrency with a decorator (see <see cref="LanguageModelBuilder"/>).
/// All random choices derive from <see cref="VariationalTrainerOptions.Seed"/> and the iteration number, so the same seed
/// and a deterministic backend give the same prompts, and a resumed run equals an uninterrupted one.</para>
/// <para>Watch a run with <see cref="IProgress{T}"/>, an <see cref="ILogger"/>, OpenTelemetry (spans and metrics named in
/// <see cref="DlnTelemetry"/>) or its run folder (<see cref="VariationalTrainerOptions.RunDirectory"/>, <see cref="RunFolder"/>).</para>
/// </remarks>
public sealed class VariationalTrainer
{
    private const string CurrentOrigin = "current";
    private const string MemoryOrigin = "memory";
    private const string ProposalOrigin = "proposal";
    private const string HintHeader = "Expected outcome:";

    private readonly ILogger _logger;

    /// <summary>Creates a trainer.</summary>
    /// <param name="backwardModel">The model that proposes prompts and samples hidden texts (may be the forward model).</param>
    /// <param name="options">Settings; <see cref="VariationalTrainerOptions.Dln1"/> by default.</param>
    /// <param name="logger">Receives a message per iteration and per layer update.</param>
    public VariationalTrainer(ILanguageModel backwardModel, VariationalTrainerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(backwardModel);
        BackwardModel = backwardModel;
        Options = options ?? VariationalTrainerOptions.Dln1;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The model that proposes prompts and samples hidden texts.</summary>
    public ILanguageModel BackwardModel { get; }

    /// <summary>The settings.</summary>
    public VariationalTrainerOptions Options { get; }

    /// <summary>
    /// Trains the prompts of <paramref name="network"/> on <paramref name="train"/>, selecting by accuracy on
    /// <paramref name="dev"/>. Fails before the first call when a backend lacks a needed capability.
    /// </summary>
    /// <param name="network">The network; it holds the best prompts when training ends.</param>
    /// <param name="train">Training examples.</param>
    /// <param name="dev">Validation examples.</param>
    /// <param name="progress">Receives a report after the initial validation and after every iteration.</param>
    /// <param name="cancellationToken">Stops training; the last checkpoint stays valid.</param>
    /// <returns>
    /// The best prompts, dev accuracies and history. When a budget is reached (<see cref="VariationalTrainerOptions.Budget"/>,
    /// or a hard limit that throws <see cref="BudgetExceededException"/>), training stops early and returns what it has,
    /// with <see cref="TrainingResult.StopReason"/> set.
    /// </returns>
    public Task<TrainingResult> TrainAsync(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(network, train, dev, checkpoint: null, progress, cancellationToken);

    /// <summary>Trains on a dataset's train split, selecting by its dev split (see <see cref="TrainAsync(Dln, IReadOnlyList{Example}, IReadOnlyList{Example}, IProgress{TrainingProgress}?, CancellationToken)"/>).</summary>
    /// <param name="network">The network; it holds the best prompts when training ends.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="progress">Receives a report after the initial validation and after every iteration.</param>
    /// <param name="cancellationToken">Stops training; the last checkpoint stays valid.</param>
    /// <returns>The best prompts, dev accuracies and history.</returns>
    public Task<TrainingResult> TrainAsync(Dln network, Dataset dataset, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return TrainAsync(network, dataset.Train, dataset.Dev, progress, cancellationToken);
    }

    /// <summary>
    /// Continues a run from its checkpoint (<see cref="VariationalTrainerOptions.CheckpointPath"/>). With a deterministic
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
        return RunAsync(network, train, dev, checkpoint, progress, cancellationToken);
    }

    /// <summary>
    /// Projects the calls and tokens of training <paramref name="network"/> with these options, without making any call
    /// (see <see cref="TrainingEstimate"/> for the assumptions).
    /// </summary>
    /// <param name="network">The network to train.</param>
    /// <param name="train">The training examples (their lengths drive the token estimate).</param>
    /// <param name="dev">The validation examples.</param>
    /// <returns>The projection.</returns>
    public TrainingEstimate Estimate(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(dev);
        var o = Options;
        var depth = network.Depth;
        long b = Math.Min(o.BatchSize, Math.Max(1, train.Count));
        long n = o.PromptCandidates;
        long k = o.HiddenSamples;
        var trained = (o.TrainedLayers ?? Enumerable.Range(0, depth)).ToHashSet();
        var scoring = o.OutputScoring == OutputScoring.Accuracy ? OutputScoring.Accuracy : OutputScoring.LogProbabilities;
        var kl = o.TrustRegionFactor > 0 && network.OutputLayer.OutputSpace.IsClassification && scoring == OutputScoring.LogProbabilities;

        // With the runtime decorators the cache answers the current prompt's scores, which the forward pass and the
        // posterior weights already computed; without them every score is a call.
        var cached = o.UseRuntimeDecorators;
        long forward = b * depth, backward = 0, scoringCalls = 0, memoryCandidates = 0;
        if (depth == 1)
        {
            if (trained.Contains(0))
            {
                backward += n - 1;
                // With a trust region the KL reuses the scoring inputs of a one-layer network (the same contexts).
                scoringCalls += cached ? (n - 1) * b : n * b * (kl ? 2 : 1);
                memoryCandidates += b;
            }
        }
        else
        {
            for (var l = depth - 2; l >= 0; l--)
            {
                backward += b * k;                                        // posterior samples
                scoringCalls += b * k * (o.PosteriorIncludesPrior ? 2 : 1); // likelihood (+ prior) of each sample
                if (l == depth - 2 && trained.Contains(depth - 1))
                {
                    backward += n - 1;
                    scoringCalls += (n * b * k) - (cached ? b * k : 0) + (kl ? (n - (cached ? 1 : 0)) * b : 0);
                    memoryCandidates += (b * k) + (kl ? b : 0);
                }

                if (trained.Contains(l))
                {
                    backward += n - 1;
                    // The penalty scores the hidden texts of the wrong answers: about half the batch early in training.
                    scoringCalls += (n * b * k) - (cached && o.PosteriorIncludesPrior ? b * k : 0) + (o.ExplorationPenalty > 0 ? n * (b / 2) : 0);
                    memoryCandidates += b * k;
                }
            }
        }

        // From the first validation after training starts, the memory usually offers MemorySize − 1 prompts besides
        // the current one as extra candidates.
        var iterationsWithMemory = Math.Max(0, o.Iterations - o.ValidationInterval);
        var memoryCalls = o.MemorySize > 1 ? memoryCandidates * (o.MemorySize - 1) * iterationsWithMemory : 0;
        var validations = (o.EvaluateBeforeTraining ? 1 : 0) + (o.Iterations / o.ValidationInterval) + (o.Iterations % o.ValidationInterval != 0 ? 1 : 0);
        var evaluation = (long)validations * dev.Count * depth;
        var perIteration = forward + backward + scoringCalls;
        var calls = new Dictionary<CallRole, long>
        {
            [CallRole.Forward] = forward * o.Iterations,
            [CallRole.Backward] = backward * o.Iterations,
            [CallRole.Scoring] = (scoringCalls * o.Iterations) + memoryCalls,
            [CallRole.Evaluation] = evaluation,
        };

        // Rough token model: 4 characters per token of the rendered context, half the token limit per generation.
        static double Chars(IEnumerable<Example> examples) => examples.Select(e => (double)e.Input.Length).DefaultIfEmpty(200).Average();
        var inputTokens = (network.OutputLayer.Render(new string('x', (int)Chars(train))).Length / 4.0) + (network.Prompts.Sum(p => p.Length) / 4.0);
        var metaPromptTokens = inputTokens * Math.Min(b, o.MaxExamplesInMetaPrompt);
        var hiddenOutput = depth > 1 ? network.Layers[0].OutputSpace.MaxTokens / 2.0 : 0;
        var generationsPerIteration = (depth - 1) * b + (depth > 1 ? (depth - 1) * b * k : 0);
        var proposalsPerIteration = backward - (depth > 1 ? (depth - 1) * b * k : 0);
        var input = (calls.Values.Sum() - (proposalsPerIteration * o.Iterations)) * (inputTokens + hiddenOutput) + (proposalsPerIteration * o.Iterations * metaPromptTokens);
        var output = (generationsPerIteration * o.Iterations * hiddenOutput) + (proposalsPerIteration * o.Iterations * o.BackwardMaxTokens / 2.0) + (calls[CallRole.Forward] + calls[CallRole.Scoring] + evaluation);
        return new TrainingEstimate
        {
            CallsByRole = calls,
            InputTokens = (long)input,
            OutputTokens = (long)output,
            CallsPerIteration = perIteration,
            Validations = validations,
        };
    }

    /// <summary>Derives the seed of one iteration's random choices from the run seed (SplitMix64, stable across platforms).</summary>
    internal static int IterationSeed(int seed, int iteration, int stream)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed << 32) ^ ((ulong)(uint)iteration << 8) ^ (uint)stream;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z & 0x7FFFFFFF);
        }
    }

    private async Task<TrainingResult> RunAsync(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, TrainingCheckpoint? checkpoint, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(dev);
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(train));
        }

        if (dev.Count == 0)
        {
            throw new ArgumentException("The dev set is empty; dev accuracy selects the prompts.", nameof(dev));
        }

        var scoring = ResolveScoring(network);
        ValidateTargets(network, train, "train");
        ValidateTargets(network, dev, "dev");
        using var activity = DlnTelemetry.ActivitySource.StartActivity(TelemetryNames.TrainSpan);
        activity?.SetTag("dln.network.depth", network.Depth);
        activity?.SetTag("dln.iterations", Options.Iterations);
        activity?.SetTag("dln.seed", Options.Seed);
        activity?.SetTag("dln.resumed", checkpoint is not null);
        using var run = new Run(this, network, train, dev, scoring, progress);
        try
        {
            if (checkpoint is not null)
            {
                run.Restore(checkpoint);
                TrainerLog.Resumed(_logger, run.CheckpointPath ?? "(in memory)", checkpoint.IterationsCompleted);
            }

            TrainerLog.TrainingStarted(_logger, network.Depth, Options.Iterations, Options.BatchSize, Options.PromptCandidates, scoring, Options.Seed);
            await run.StartRecordingAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            var result = await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await run.CompleteRecordingAsync(result).ConfigureAwait(false);
            activity?.SetTag("dln.iterations_completed", result.IterationsCompleted);
            activity?.SetTag("dln.best_dev_accuracy", result.BestDevAccuracy);
            activity?.SetTag("dln.backend_calls", result.Calls);
            if (result.StopReason is not null)
            {
                activity?.SetTag("dln.stop_reason", result.StopReason);
            }

            return result;
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetTag(TelemetryNames.ErrorType, ex.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    private OutputScoring ResolveScoring(Dln network)
    {
        var output = network.OutputLayer;
        var needed = output.OutputSpace.IsClassification ? output.ClassScoringOperation : LanguageModelOperation.ContinuationLogProbabilities;
        var outputHasLogProbabilities = output.Model.Capabilities.Supports(needed);
        var scoring = Options.OutputScoring switch
        {
            OutputScoring.Auto when network.Depth > 1 => OutputScoring.LogProbabilities,
            OutputScoring.Auto => outputHasLogProbabilities ? OutputScoring.LogProbabilities : OutputScoring.Accuracy,
            var explicitChoice => explicitChoice,
        };

        if (scoring == OutputScoring.LogProbabilities && !outputHasLogProbabilities)
        {
            throw new NotSupportedException(
                $"Cannot train: the output layer (layer {network.Depth - 1}) scores candidates by log-probabilities. " +
                LanguageModelCapabilities.DescribeMissing(needed, output.Model.Metadata.ToString()));
        }

        for (var l = 0; l < network.Depth - 1; l++)
        {
            var model = network.Layers[l].Model;
            if (!model.Capabilities.ContinuationLogProbabilities)
            {
                throw new NotSupportedException(
                    $"Cannot train a {network.Depth}-layer network: hidden layer {l} needs its hidden texts scored by teacher forcing. " +
                    LanguageModelCapabilities.DescribeMissing(LanguageModelOperation.ContinuationLogProbabilities, model.Metadata.ToString()));
            }
        }

        if (network.Depth > 1 && Options.PosteriorCorrectsForProposal && !BackwardModel.Capabilities.SampledTokenLogProbabilities)
        {
            throw new NotSupportedException(
                $"PosteriorCorrectsForProposal needs log q of each posterior sample. " +
                LanguageModelCapabilities.DescribeMissing(LanguageModelOperation.SampledTokenLogProbabilities, BackwardModel.Metadata.ToString()));
        }

        BackwardModel.Capabilities.Require(LanguageModelOperation.Generation, BackwardModel.Metadata.ToString());
        return scoring;
    }

    private static void ValidateTargets(Dln network, IReadOnlyList<Example> examples, string split)
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

    /// <summary>The state and steps of one training run.</summary>
    private sealed class Run : IDisposable
    {
        private readonly VariationalTrainer _trainer;
        private readonly VariationalTrainerOptions _o;
        private readonly Dln _net;
        private readonly IReadOnlyList<Example> _train;
        private readonly IReadOnlyList<Example> _dev;
        private readonly OutputScoring _scoring;
        private readonly IProgress<TrainingProgress>? _progress;
        private readonly PromptProposer _proposer;
        private readonly PromptMemory _memory;
        private readonly Dictionary<string, double> _devCache = new(StringComparer.Ordinal);
        private readonly List<TrainingProgress> _history = [];
        private readonly HashSet<int> _trained;
        private IReadOnlyList<string> _bestPrompts;
        private IReadOnlyList<Example>? _bestDemonstrations;
        private double _bestDev = -1;
        private double? _initialDev;
        private int _patience;
        private int _completed;
        private int _failures;
        private long _callsBefore;
        private long _tokensBefore;
        private readonly UsageTracker _usage;
        private readonly ILanguageModelCacheStore _cacheStore;
        private readonly RunRecorder? _recorder;
        private readonly Dln _twin;
        private readonly ILanguageModel _backward;

        // Built once per run: batches and demonstrations are class-balanced draws (random draws for free text).
        private readonly FewShotSampler _balancedSampler;
        private readonly FewShotSampler _randomSampler;

        public Run(VariationalTrainer trainer, Dln net, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, OutputScoring scoring, IProgress<TrainingProgress>? progress)
        {
            _trainer = trainer;
            _o = trainer.Options;
            _train = train;
            _dev = dev;
            _scoring = scoring;
            _progress = progress;
            // The run works on a twin of the network whose models go through the runtime decorators (and always the
            // usage tracker); prompts are copied back to the caller's network at the end.
            _net = net;
            _usage = new UsageTracker(_o.Prices);
            _cacheStore = _o.CacheStore ?? new InMemoryCacheStore();
            _recorder = _o.RunDirectory is null ? null : new RunRecorder(_o.RunDirectory, _o, trainer._logger);
            CheckpointPath = _o.CheckpointPath ?? _recorder?.CheckpointPath;
            var decorated = new Dictionary<ILanguageModel, ILanguageModel>(ReferenceEqualityComparer.Instance);
            ILanguageModel Decorate(ILanguageModel model)
            {
                if (!decorated.TryGetValue(model, out var result))
                {
                    var builder = new LanguageModelBuilder(new NonDisposingModel(model));
                    if (_o.UseRuntimeDecorators)
                    {
                        builder.UseTelemetry();
                    }

                    _recorder?.AddCallLog(builder);
                    builder.UseUsageTracking(_usage);
                    if (_o.UseRuntimeDecorators)
                    {
                        builder.UseCache(_cacheStore).UseRetry(_o.Retry).UseConcurrencyLimit(_o.MaxConcurrency);
                    }

                    result = builder.Build();
                    decorated[model] = result;
                }

                return result;
            }

            _twin = net.WithModels(Decorate);
            _backward = Decorate(trainer.BackwardModel);
            _proposer = new PromptProposer(_backward, _o.BackwardTemperature, _o.BackwardMaxTokens, _o.MaxPromptCharacters, _o.MaxExamplesInMetaPrompt);
            _memory = new PromptMemory(_o.MemorySize);
            _bestPrompts = net.Prompts;
            _balancedSampler = new FewShotSampler(train, net.OutputLayer.OutputSpace);
            _randomSampler = new FewShotSampler(train, task: null);
            _trained = (_o.TrainedLayers ?? Enumerable.Range(0, net.Depth)).ToHashSet();
            var invalid = _trained.Where(l => l < 0 || l >= net.Depth).ToArray();
            if (invalid.Length > 0)
            {
                throw new ArgumentOutOfRangeException(nameof(VariationalTrainerOptions.TrainedLayers), $"TrainedLayers names layer(s) {string.Join(", ", invalid)}, but the network has layers 0..{net.Depth - 1}.");
            }
        }

        /// <summary>Where the checkpoint is written: the option, else the run folder's, else nowhere.</summary>
        public string? CheckpointPath { get; }

        private int Depth => _twin.Depth;

        private LanguageLayer OutputLayer => _twin.OutputLayer;

        private long Calls => _callsBefore + _usage.Snapshot().Total.Calls;

        private long Tokens => _tokensBefore + _usage.Snapshot().Total.TotalTokens;

        public void Restore(TrainingCheckpoint c)
        {
            if (c.Depth != Depth)
            {
                throw new ArgumentException($"The checkpoint is for a {c.Depth}-layer network; this network has {Depth} layers.");
            }

            if (c.Iterations != _o.Iterations)
            {
                throw new ArgumentException($"The checkpoint was written for a run of {c.Iterations} iterations; the trainer's Iterations option is {_o.Iterations}. Resume with the same settings (the penalty decay and the validation schedule depend on it).");
            }

            if (c.Seed != _o.Seed)
            {
                throw new ArgumentException($"The checkpoint was written with seed {c.Seed}; the trainer's Seed option is {_o.Seed}. Resume with the same seed.");
            }

            _twin.SetPrompts(c.Prompts);
            _bestPrompts = c.BestPrompts;
            _bestDev = c.BestDevAccuracy;
            _initialDev = c.InitialDevAccuracy;
            _patience = c.Patience;
            _completed = c.IterationsCompleted;
            _failures = c.FailedIterations;
            _memory.Restore(c.Memory);
            foreach (var (k, v) in c.DevAccuracies)
            {
                _devCache[k] = v;
            }

            _history.AddRange(c.History);
            if (_o.FewShotExamples > 0 && _history.FirstOrDefault(h => h.DevAccuracy == c.BestDevAccuracy) is { } best)
            {
                // The demonstrations are not in the checkpoint: each validation draws them from its own seed, so the
                // set of the best validation (the first that reached the best accuracy) can be drawn again.
                _bestDemonstrations = ValidationDemonstrations(best.Iteration);
            }

            _callsBefore = c.Calls;
            _tokensBefore = c.Tokens;
        }

        public async Task StartRecordingAsync(TrainingCheckpoint? resumedFrom, CancellationToken ct)
        {
            if (_recorder is null)
            {
                return;
            }

            var configuration = RunConfiguration.Create(
                _o, _net, _trainer.BackwardModel, _scoring, _train.Count, _dev.Count, resumedFrom?.IterationsCompleted, DateTimeOffset.UtcNow);
            await _recorder.StartAsync(configuration, _history, resumed: resumedFrom is not null, ownsCheckpoint: _o.CheckpointPath is null, ct).ConfigureAwait(false);
        }

        public Task CompleteRecordingAsync(TrainingResult result) => _recorder?.CompleteAsync(result) ?? Task.CompletedTask;

        public void Dispose() => _recorder?.Dispose();

        public async Task<TrainingResult> ExecuteAsync(CancellationToken ct)
        {
            string? stopReason = null;
            // A checkpoint is written at the start of pass t, after that pass's validation: resuming at t skips it.
            var resumedAt = _history.Count > 0 || _completed > 0 ? _completed : -1;
            try
            {
                for (var t = _completed; t <= _o.Iterations; t++)
                {
                    ct.ThrowIfCancellationRequested();
                    var isLast = t == _o.Iterations;
                    if (t != resumedAt)
                    {
                        var validate = (t == 0 && _o.EvaluateBeforeTraining) || (t > 0 && (t % _o.ValidationInterval == 0 || isLast));
                        double? dev = null;
                        var backtracked = false;
                        string? validationError = null;
                        if (validate)
                        {
                            try
                            {
                                (dev, backtracked) = await ValidateAsync(t, ct).ConfigureAwait(false);
                            }
                            catch (Exception ex) when (IsFailedCall(ex, ct))
                            {
                                // Like a failed update: counted against the error budget; the prompts stay unmeasured
                                // (the next validation measures them if they are still current).
                                validationError = "Validation failed: " + CountFailure(ex, t == 0 ? "the validation of the initial prompts" : $"the validation after iteration {t}");
                            }
                        }

                        if (t == 0)
                        {
                            if (dev is not null || validationError is not null)
                            {
                                _initialDev = dev;
                                _history.Add(new TrainingProgress
                                {
                                    Iteration = 0,
                                    TotalIterations = _o.Iterations,
                                    Prompts = _twin.Prompts,
                                    DevAccuracy = dev,
                                    BestDevAccuracy = _bestDev >= 0 ? _bestDev : null,
                                    Calls = Calls,
                                    Tokens = Tokens,
                                    Error = validationError,
                                });
                                await PublishAsync(_history[^1]).ConfigureAwait(false);
                            }
                        }
                        else
                        {
                            // The validation at the start of pass t measures the prompts chosen by iteration t: it belongs
                            // to that iteration's report, which is published now.
                            if (dev is not null)
                            {
                                _history[^1] = _history[^1] with { DevAccuracy = dev, BestDevAccuracy = _bestDev, Backtracked = backtracked };
                            }
                            else if (validationError is not null)
                            {
                                var previous = _history[^1].Error;
                                _history[^1] = _history[^1] with { Error = previous is null ? validationError : $"{previous} {validationError}" };
                            }

                            await PublishAsync(_history[^1]).ConfigureAwait(false);
                        }
                    }

                    if (isLast)
                    {
                        break;
                    }

                    await SaveCheckpointAsync(t, ct).ConfigureAwait(false);
                    stopReason = CheckBudget();
                    if (stopReason is not null)
                    {
                        break;
                    }

                    try
                    {
                        _history.Add(await IterateAsync(t, ct).ConfigureAwait(false));
                    }
                    catch (BudgetExceededException ex)
                    {
                        // A hard limit refused a call mid-iteration: IterateAsync has dropped the half-done update;
                        // stop cleanly.
                        stopReason = ex.Message;
                        break;
                    }

                    _completed = t + 1;
                }

                if (stopReason is null)
                {
                    _completed = _o.Iterations;
                }
                else
                {
                    TrainerLog.TrainingStopped(_trainer._logger, stopReason);
                }

                await SaveCheckpointAsync(_completed, ct).ConfigureAwait(false);
            }
            catch (BudgetExceededException ex)
            {
                // A hard limit refused a call of a validation. The checkpoint on disk (written before the iteration
                // whose prompts were being validated) is kept: one written now would skip that validation on resume.
                stopReason = ex.Message;
                TrainerLog.TrainingStopped(_trainer._logger, stopReason);
            }
            finally
            {
                // The caller's network gets the best prompts even when training stops early.
                _net.SetPrompts(_bestDev >= 0 ? _bestPrompts : _twin.Prompts);

                // With few-shot training the prompts were chosen together with the demonstrations they were validated
                // with; the network keeps that one set, so that a test evaluation uses the same fixed demonstrations.
                if (_bestDemonstrations is not null)
                {
                    _net.OutputLayer.Demonstrations = _bestDemonstrations;
                }
            }

            TrainerLog.TrainingFinished(_trainer._logger, _completed, Math.Max(0, _bestDev));
            return new TrainingResult
            {
                BestPrompts = _net.Prompts,
                BestDevAccuracy = Math.Max(0, _bestDev),
                InitialDevAccuracy = _initialDev,
                History = _history.ToArray(),
                IterationsCompleted = _completed,
                StopReason = stopReason,
                Calls = Calls,
                Tokens = Tokens,
                Usage = _usage.Snapshot(),
            };
        }

        /// <summary>Records a finished report in the run folder, then hands it to the caller's progress handler.</summary>
        private async Task PublishAsync(TrainingProgress report)
        {
            if (_recorder is not null)
            {
                await _recorder.AppendAsync(report).ConfigureAwait(false);
            }

            _progress?.Report(report);
        }

        private string? CheckBudget()
        {
            if (_o.Budget is null)
            {
                return null;
            }

            var total = _usage.Snapshot().Total;
            var reason = _o.Budget.Check(Calls, Tokens, total.Cost);
            return reason is null ? null : $"Budget reached before iteration {_completed + 1}: {reason.TrimEnd('.')}. The best prompts so far are kept.";
        }

        private async Task<(double Dev, bool Backtracked)> ValidateAsync(int t, CancellationToken ct)
        {
            using var activity = DlnTelemetry.ActivitySource.StartActivity(TelemetryNames.ValidateSpan);
            activity?.SetTag(TelemetryNames.Iteration, t);
            var prompts = _twin.Prompts;
            var key = string.Join('\u241E', prompts);
            var cached = _devCache.TryGetValue(key, out var dev);
            if (!cached)
            {
                ApplyFewShot(new Random(IterationSeed(_o.Seed, t, 7)));
                var result = await _twin.EvaluateAsync(_dev, prompts, Math.Max(1, _dev.Count), ct).ConfigureAwait(false);
                dev = result.Accuracy;
                _devCache[key] = dev;
            }

            var backtracked = false;
            if (dev > _bestDev)
            {
                _bestDev = dev;
                _bestPrompts = prompts;
                _bestDemonstrations = _o.FewShotExamples > 0 ? OutputLayer.Demonstrations : null;
                _patience = 0;
                _memory.Add(prompts, dev);
            }
            else
            {
                _patience++;
                if (_o.Tolerance >= 0 && _patience >= _o.Tolerance)
                {
                    TrainerLog.Backtracked(_trainer._logger, t, _patience, _bestDev);
                    _twin.SetPrompts(_bestPrompts);
                    _patience = 0;
                    backtracked = true;
                }
            }

            TrainerLog.Validated(_trainer._logger, t, dev, _bestDev);
            activity?.SetTag("dln.dev_accuracy", dev);
            activity?.SetTag("dln.dev_accuracy.cached", cached);
            activity?.SetTag("dln.backtracked", backtracked);
            return (dev, backtracked);
        }

        /// <summary>The demonstrations <see cref="ValidateAsync"/> gives the validation at the start of pass <paramref name="t"/> (drawn from that pass's seed).</summary>
        private IReadOnlyList<Example> ValidationDemonstrations(int t) => _balancedSampler.Sample(_o.FewShotExamples, new Random(IterationSeed(_o.Seed, t, 7)));

        private void ApplyFewShot(Random random)
        {
            if (_o.FewShotExamples <= 0)
            {
                return;
            }

            OutputLayer.Demonstrations = _balancedSampler.Sample(_o.FewShotExamples, random);
        }

        private async Task<TrainingProgress> IterateAsync(int t, CancellationToken ct)
        {
            using var activity = DlnTelemetry.ActivitySource.StartActivity(TelemetryNames.IterationSpan);
            activity?.SetTag(TelemetryNames.Iteration, t + 1);
            var random = new Random(IterationSeed(_o.Seed, t, 1));
            var batch = SampleBatch(random);
            ApplyFewShot(random);
            // Layers are updated one after another; an iteration that fails half-way must not leave some of them
            // changed, so its prompts are put back whatever the reason it stopped.
            var promptsBefore = _twin.Prompts;
            try
            {
                var report = await UpdateAsync(t, batch, random, ct).ConfigureAwait(false);
                if (activity is not null)
                {
                    activity.SetTag("dln.batch_accuracy", report.BatchAccuracy);
                    activity.SetTag("dln.elbo", report.Elbo);
                    activity.SetTag("dln.skipped", report.Skipped);
                }

                return report;
            }
            catch (Exception ex) when (IsFailedCall(ex, ct))
            {
                activity?.SetTag(TelemetryNames.ErrorType, ex.GetType().FullName);
                activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                _twin.SetPrompts(promptsBefore);
                var error = CountFailure(ex, $"iteration {t + 1}");
                return new TrainingProgress
                {
                    Iteration = t + 1,
                    TotalIterations = _o.Iterations,
                    Skipped = true,
                    Prompts = _twin.Prompts,
                    Error = error,
                    BestDevAccuracy = _bestDev >= 0 ? _bestDev : null,
                    Calls = Calls,
                    Tokens = Tokens,
                };
            }
            catch
            {
                _twin.SetPrompts(promptsBefore);
                throw;
            }
        }

        /// <summary>
        /// Counts a failed iteration or validation against the error budget and describes the error; throws
        /// <see cref="TrainingFailedException"/> once the budget is spent. The checkpoint on disk is the one written
        /// before the failure, so it is the last good state.
        /// </summary>
        private string CountFailure(Exception ex, string where)
        {
            _failures++;
            var error = $"{ex.GetType().Name}: {ex.Message}";
            TrainerLog.StepFailed(_trainer._logger, where, _failures, _o.MaxFailedIterations, error);
            if (_failures > _o.MaxFailedIterations)
            {
                throw new TrainingFailedException(
                    $"Training stopped: {_failures} failures (iterations or validations whose backend calls failed after retries), more than the " +
                    $"error budget of {_o.MaxFailedIterations} (MaxFailedIterations); {_usage.Snapshot().Total.Failures} backend calls failed after retries " +
                    $"in this session. Last error, in {where}: {error}",
                    ex);
            }

            return error;
        }

        private static bool IsBudgetStop(Exception ex) => ex is BudgetExceededException;

        // A failed call costs one iteration of the error budget. Cancellation counts only when the caller asked for
        // it: a backend timeout also surfaces as an OperationCanceledException (HttpClient throws
        // TaskCanceledException), and must not end the run. Capability and argument errors are bugs, not failures,
        // and a backend error that says it will repeat (rejected key, unknown model) ends the run at once.
        private static bool IsFailedCall(Exception ex, CancellationToken ct) =>
            !(ex is OperationCanceledException && ct.IsCancellationRequested) &&
            ex is not NotSupportedException && ex is not ArgumentException && !IsBudgetStop(ex) &&
            ex is not LanguageModelException { IsPermanent: true };

        private async Task<TrainingProgress> UpdateAsync(int t, Example[] batch, Random random, CancellationToken ct)
        {
            DlnResult[] forward;
            using (DlnTelemetry.ActivitySource.StartActivity(TelemetryNames.ForwardSpan))
            {
                forward = await Task.WhenAll(batch.Select(e => _twin.InvokeAsync(e.Input, null, new CallPurpose(CallRole.Forward), ct))).ConfigureAwait(false);
            }

            var correct = batch.Select((e, i) => _twin.IsCorrect(forward[i], e.Target)).ToArray();
            var accuracy = correct.Count(c => c) / (double)batch.Length;
            double? loss = null;
            if (forward.All(f => f.Distribution is not null))
            {
                loss = -batch.Select((e, i) => forward[i].Distribution!.LogProbabilityOf(e.Target)).Average();
            }

            var report = new TrainingProgress
            {
                Iteration = t + 1,
                TotalIterations = _o.Iterations,
                BatchAccuracy = accuracy,
                TrainLoss = loss,
                Prompts = _twin.Prompts,
                TruncatedHiddenTexts = forward.Sum(f => f.HiddenTruncated.Count(x => x)),
                EmptyHiddenTexts = forward.Sum(f => f.HiddenOutputs.Count(h => h.Length == 0)),
                AnswersOutsideClasses = OutputLayer.OutputSpace.IsClassification ? forward.Count(f => f.PredictedClass is null) : 0,
                BestDevAccuracy = _bestDev >= 0 ? _bestDev : null,
            };

            if (_o.SkipUpdateWhenBatchCorrect && correct.All(c => c))
            {
                TrainerLog.UpdateSkipped(_trainer._logger, t + 1);
                return report with { Skipped = true, Calls = Calls, Tokens = Tokens };
            }

            var updates = new List<LayerUpdate>();
            double? entropy = null;
            if (Depth == 1)
            {
                if (_trained.Contains(0))
                {
                    var inputs = forward.Select(f => new[] { new Sample(f.LayerInputs[0], 1.0) }).ToArray();
                    var shown = batch.Select((e, i) => new ProposalExample(forward[i].LayerInputs[0], forward[i].Output, e.Target, correct[i])).ToArray();
                    var (update, _) = await UpdateOutputLayerAsync(batch, forward, inputs, shown, random, ct).ConfigureAwait(false);
                    updates.Add(update);
                }
            }
            else
            {
                entropy = await UpdateDeepAsync(t, batch, forward, correct, random, updates, ct).ConfigureAwait(false);
            }

            foreach (var u in updates)
            {
                TrainerLog.LayerUpdated(_trainer._logger, t + 1, u.Layer, u.SelectedOrigin, u.SelectedScore, u.CurrentScore, u.Candidates);
            }

            var elbo = updates.Count > 0 ? updates.Sum(u => u.SelectedScore) : (double?)null;
            TrainerLog.IterationCompleted(_trainer._logger, t + 1, _o.Iterations, accuracy, elbo, Calls, Tokens);
            return report with { Updates = updates, Elbo = elbo, PosteriorEntropy = entropy, Prompts = _twin.Prompts, Calls = Calls, Tokens = Tokens };
        }

        private async Task<double> UpdateDeepAsync(int t, Example[] batch, DlnResult[] forward, bool[] correct, Random random, List<LayerUpdate> updates, CancellationToken ct)
        {
            var targets = batch.Select(e => e.Target).ToArray();
            var entropies = new List<double>();
            for (var l = Depth - 2; l >= 0; l--)
            {
                var posterior = await SamplePosteriorAsync(l, batch, forward, targets, random, ct).ConfigureAwait(false);
                if (l == Depth - 2 && _trained.Contains(Depth - 1))
                {
                    var inputs = posterior.Samples.Select((samples, i) => samples.Select((h, k) =>
                        new Sample(_twin.GetLayerInput(Depth - 1, batch[i].Input, h), posterior.Weights[i][k])).ToArray()).ToArray();
                    var shown = batch.Select((e, i) => new ProposalExample(forward[i].LayerInputs[Depth - 1], forward[i].Output, e.Target, correct[i])).ToArray();
                    var (update, selectedScores) = await UpdateOutputLayerAsync(batch, forward, inputs, shown, random, ct).ConfigureAwait(false);
                    updates.Add(update);
                    if (update.SelectedOrigin != CurrentOrigin)
                    {
                        // Re-weight the samples under the output prompt just chosen, so the hidden layer learns from
                        // the posterior of the network it will be part of.
                        posterior = posterior.Reweighted(selectedScores, _o);
                    }
                }

                entropies.Add(posterior.Weights.Average(w => VariationalObjective.NormalizedEntropy(w)));
                if (_trained.Contains(l))
                {
                    updates.Add(await UpdateHiddenLayerAsync(t, l, batch, forward, correct, posterior, random, ct).ConfigureAwait(false));
                }

                targets = posterior.Best;
            }

            return entropies.Average();
        }

        private async Task<Posterior> SamplePosteriorAsync(int l, Example[] batch, DlnResult[] forward, string[] targets, Random random, CancellationToken ct)
        {
            using var activity = DlnTelemetry.ActivitySource.StartActivity(TelemetryNames.PosteriorSpan);
            activity?.SetTag(TelemetryNames.Layer, l);
            var layer = _twin.Layers[l];
            var k = _o.HiddenSamples;
            var requests = new GenerationRequest[batch.Length][];
            for (var i = 0; i < batch.Length; i++)
            {
                requests[i] = new GenerationRequest[k];
                var input = forward[i].LayerInputs[l];
                for (var s = 0; s < k; s++)
                {
                    var hint = random.NextDouble() < _o.HintSampleProbability;
                    var context = hint ? layer.Render($"{input}\n\n{HintHeader}\n{targets[i]}") : layer.Render(input);
                    requests[i][s] = new GenerationRequest(context)
                    {
                        Temperature = _o.BackwardTemperature,
                        MaxTokens = layer.OutputSpace.MaxTokens,
                        StopSequences = layer.Options.StopSequences,
                        Seed = random.NextInt64(),
                        SampleIndex = s,
                        IncludeLogProbabilities = _o.PosteriorCorrectsForProposal,
                        Purpose = new CallPurpose(CallRole.Backward, l),
                    };
                }
            }

            var responses = await Task.WhenAll(requests.Select(r => Task.WhenAll(r.Select(q => _backward.GenerateAsync(q, ct))))).ConfigureAwait(false);
            var samples = responses.Select(r => r.Select(x => layer.PostProcess(x.Text)).ToArray()).ToArray();
            var logQ = responses.Select(r => r.Select(x => x.MeanLogProbability ?? 0).ToArray()).ToArray();

            // Likelihood of the target given each sample, under the next layer's current prompt.
            var likelihood = await Task.WhenAll(samples.Select((hs, i) => Task.WhenAll(hs.Select(async h =>
            {
                var nextInput = _twin.GetLayerInput(l + 1, batch[i].Input, h);
                if (l == Depth - 2)
                {
                    return (await OutputScoreAsync(nextInput, targets[i], OutputLayer.Prompt, new CallPurpose(CallRole.Scoring, l + 1), ct).ConfigureAwait(false)).Score;
                }

                var next = _twin.Layers[l + 1];
                return (await next.ScoreContinuationAsync(nextInput, targets[i], null, new CallPurpose(CallRole.Scoring, l + 1), ct).ConfigureAwait(false)).Mean;
            })))).ConfigureAwait(false);

            var prior = _o.PosteriorIncludesPrior
                ? await Task.WhenAll(samples.Select((hs, i) => Task.WhenAll(hs.Select(async h =>
                    (await layer.ScoreContinuationAsync(forward[i].LayerInputs[l], h, null, new CallPurpose(CallRole.Scoring, l), ct).ConfigureAwait(false)).Mean)))).ConfigureAwait(false)
                : samples.Select(hs => new double[hs.Length]).ToArray();

            return Posterior.Create(samples, likelihood, prior, logQ, _o);
        }

        private async Task<(LayerUpdate Update, double[][] SelectedScores)> UpdateOutputLayerAsync(
            Example[] batch, DlnResult[] forward, Sample[][] inputs, ProposalExample[] shown, Random random, CancellationToken ct)
        {
            var layerIndex = Depth - 1;
            var useKl = _o.TrustRegionFactor > 0 && OutputLayer.OutputSpace.IsClassification && _scoring == OutputScoring.LogProbabilities;
            var currentDistributions = useKl ? forward.Select(f => f.Distribution!.Probabilities).ToArray() : null;
            var detail = new Dictionary<string, double[][]>(StringComparer.Ordinal);

            async Task<double> ScoreAsync(string prompt)
            {
                var purpose = new CallPurpose(CallRole.Scoring, layerIndex);
                var scores = await Task.WhenAll(inputs.Select((samples, i) => Task.WhenAll(samples.Select(async s =>
                    (await OutputScoreAsync(s.Input, batch[i].Target, prompt, purpose, ct).ConfigureAwait(false)).Score)))).ConfigureAwait(false);
                var weights = inputs.Select(s => (IReadOnlyList<double>)s.Select(x => x.Weight).ToArray()).ToArray();
                var score = VariationalObjective.WeightedScore(weights, scores);
                if (useKl)
                {
                    var candidate = await Task.WhenAll(forward.Select(async (f, i) =>
                        (IReadOnlyList<double>)(await OutputScoreAsync(f.LayerInputs[layerIndex], batch[i].Target, prompt, purpose, ct).ConfigureAwait(false)).Distribution!.Probabilities)).ConfigureAwait(false);
                    score -= _o.TrustRegionFactor * VariationalObjective.MeanKlDivergence(currentDistributions!, candidate);
                }

                lock (detail)
                {
                    detail[prompt] = scores;
                }

                return score;
            }

            var update = await SelectPromptAsync(layerIndex, shown, ScoreAsync, random, ct).ConfigureAwait(false);
            return (update, detail[update.SelectedPrompt]);
        }

        private async Task<LayerUpdate> UpdateHiddenLayerAsync(int t, int l, Example[] batch, DlnResult[] forward, bool[] correct, Posterior posterior, Random random, CancellationToken ct)
        {
            var layer = _twin.Layers[l];
            var lambda = VariationalObjective.PenaltyWeight(_o.ExplorationPenalty, t, _o.Iterations, _o.DecayExplorationPenalty);
            var weights = posterior.Weights.Select(w => (IReadOnlyList<double>)w).ToArray();

            async Task<double> ScoreAsync(string prompt)
            {
                var purpose = new CallPurpose(CallRole.Scoring, l);
                var scores = await Task.WhenAll(posterior.Samples.Select((hs, i) => Task.WhenAll(hs.Select(async h =>
                    (await layer.ScoreContinuationAsync(forward[i].LayerInputs[l], h, prompt, purpose, ct).ConfigureAwait(false)).Mean)))).ConfigureAwait(false);
                var score = VariationalObjective.WeightedScore(weights, scores);
                if (lambda > 0)
                {
                    var wrong = await Task.WhenAll(Enumerable.Range(0, batch.Length).Where(i => !correct[i]).Select(async i =>
                        (await layer.ScoreContinuationAsync(forward[i].LayerInputs[l], HiddenOutput(forward[i], l), prompt, purpose, ct).ConfigureAwait(false)).Mean)).ConfigureAwait(false);
                    score -= lambda * VariationalObjective.Penalty(wrong, batch.Length);
                }

                return score;
            }

            var shown = batch.Select((e, i) => new ProposalExample(forward[i].LayerInputs[l], HiddenOutput(forward[i], l), posterior.Best[i], correct[i])).ToArray();
            return await SelectPromptAsync(l, shown, ScoreAsync, random, ct).ConfigureAwait(false);
        }

        private static string HiddenOutput(DlnResult result, int layer) => result.HiddenOutputs[layer];

        private async Task<LayerUpdate> SelectPromptAsync(int l, ProposalExample[] shown, Func<string, Task<double>> score, Random random, CancellationToken ct)
        {
            var layer = _twin.Layers[l];
            var current = layer.Prompt;
            var remembered = _memory.PromptsForLayer(l).Where(p => p != current).ToArray();
            var starting = new List<string> { current };
            starting.AddRange(remembered);
            IReadOnlyList<string> proposals;
            ProposalStatistics statistics;
            using (var propose = DlnTelemetry.ActivitySource.StartActivity(TelemetryNames.ProposeSpan))
            {
                propose?.SetTag(TelemetryNames.Layer, l);
                (proposals, statistics) = await _proposer.ProposeAsync(starting, shown, _o.PromptCandidates - 1, random, new CallPurpose(CallRole.Backward, l), ct).ConfigureAwait(false);
            }


            // Every distinct prompt is scored once: duplicates among proposals, and memory prompts equal to the current one.
            var candidates = new List<(string Prompt, string Origin)> { (current, CurrentOrigin) };
            var seen = new HashSet<string>(StringComparer.Ordinal) { current };
            candidates.AddRange(remembered.Where(seen.Add).Select(p => (p, MemoryOrigin)));
            var duplicates = 0;
            foreach (var p in proposals)
            {
                if (seen.Add(p))
                {
                    candidates.Add((p, ProposalOrigin));
                }
                else
                {
                    duplicates++;
                }
            }

            double[] scores;
            using (var scoring = DlnTelemetry.ActivitySource.StartActivity(TelemetryNames.ScoreSpan))
            {
                scoring?.SetTag(TelemetryNames.Layer, l);
                scoring?.SetTag("dln.candidates", candidates.Count);
                scores = await Task.WhenAll(candidates.Select(c => score(c.Prompt))).ConfigureAwait(false);
            }

            var best = 0;
            for (var i = 1; i < scores.Length; i++)
            {
                // Strictly greater: on ties the earlier candidate (the current prompt first) is kept.
                if (scores[i] > scores[best] || (double.IsNaN(scores[best]) && !double.IsNaN(scores[i])))
                {
                    best = i;
                }
            }

            layer.Prompt = candidates[best].Prompt;
            return new LayerUpdate(l, candidates[best].Prompt, candidates[best].Origin, scores[best], scores[0], candidates.Count, statistics with { Duplicates = duplicates })
            {
                CandidateScores = candidates.Select((c, i) => new CandidateScore(c.Prompt, c.Origin, scores[i])).ToArray(),
                SelectedIndex = best,
            };
        }

        private async Task<(double Score, ClassDistribution? Distribution)> OutputScoreAsync(string input, string target, string prompt, CallPurpose purpose, CancellationToken ct)
        {
            var layer = OutputLayer;
            if (_scoring == OutputScoring.Accuracy)
            {
                var output = await layer.ForwardAsync(input, prompt, purpose, ct).ConfigureAwait(false);
                return (layer.OutputSpace.IsCorrect(output.Text, output.PredictedClass, target) ? 1 : 0, output.Distribution);
            }

            if (layer.OutputSpace.IsClassification)
            {
                var distribution = await layer.ScoreClassesAsync(input, prompt, purpose, ct).ConfigureAwait(false);
                return (distribution.LogProbabilityOf(target), distribution);
            }

            var score = await layer.ScoreContinuationAsync(input, target, prompt, purpose, ct).ConfigureAwait(false);
            return (score.Mean, null);
        }

        private Example[] SampleBatch(Random random)
        {
            var sampler = _o.BalancedBatches ? _balancedSampler : _randomSampler;
            return [.. sampler.Sample(Math.Min(_o.BatchSize, _train.Count), random)];
        }

        private async Task SaveCheckpointAsync(int completed, CancellationToken ct)
        {
            if (CheckpointPath is null)
            {
                return;
            }

            var checkpoint = new TrainingCheckpoint
            {
                Seed = _o.Seed,
                Depth = Depth,
                Iterations = _o.Iterations,
                IterationsCompleted = completed,
                Prompts = _twin.Prompts,
                BestPrompts = _bestPrompts,
                BestDevAccuracy = _bestDev,
                InitialDevAccuracy = _initialDev,
                Patience = _patience,
                FailedIterations = _failures,
                Memory = _memory.Entries.ToArray(),
                DevAccuracies = new Dictionary<string, double>(_devCache, StringComparer.Ordinal),
                History = _history.ToArray(),
                Calls = Calls,
                Tokens = Tokens,
            };
            await checkpoint.SaveAsync(CheckpointPath, ct).ConfigureAwait(false);
        }
    }

    private readonly record struct Sample(string Input, double Weight);

    /// <summary>Keeps the run's decorators from disposing the caller's models.</summary>
    private sealed class NonDisposingModel(ILanguageModel inner) : DelegatingLanguageModel(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }

    /// <summary>K posterior samples per example with their sharpening weights.</summary>
    private sealed record Posterior(string[][] Samples, double[][] Likelihood, double[][] Prior, double[][] LogQ, double[][] Weights, string[] Best)
    {
        public static Posterior Create(string[][] samples, double[][] likelihood, double[][] prior, double[][] logQ, VariationalTrainerOptions o)
        {
            var weights = new double[samples.Length][];
            var best = new string[samples.Length];
            for (var i = 0; i < samples.Length; i++)
            {
                var logits = samples[i].Select((_, k) => likelihood[i][k] + prior[i][k] - (o.PosteriorCorrectsForProposal ? logQ[i][k] : 0)).ToArray();
                var w = VariationalObjective.SharpeningWeights(logits, o.PosteriorTemperature);
                var argmax = 0;
                for (var k = 1; k < w.Length; k++)
                {
                    if (w[k] > w[argmax])
                    {
                        argmax = k;
                    }
                }

                if (o.UseBestHiddenSampleOnly)
                {
                    w = w.Select((_, k) => k == argmax ? 1.0 : 0.0).ToArray();
                }

                weights[i] = w;
                best[i] = samples[i][argmax];
            }

            return new Posterior(samples, likelihood, prior, logQ, weights, best);
        }

        public Posterior Reweighted(double[][] likelihood, VariationalTrainerOptions o) => Create(Samples, likelihood, Prior, LogQ, o);
    }
}
