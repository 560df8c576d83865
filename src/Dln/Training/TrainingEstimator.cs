namespace DeepLanguageNetworks;

/// <summary>
/// Projects the calls and tokens of a run without making any (see <see cref="TrainingEstimate"/>). Calls follow the
/// step's walk over the graph: the forward pass; the posterior samples of the hidden layers the output layer reads and
/// the output layer's candidates scored over them (or over the observed input); then, in reverse topological order,
/// every other hidden layer's posterior samples weighed by each of its readers (for one the output layer's step
/// sampled, only its other readers' likelihoods), and every hidden layer's candidates scored on the text it wrote;
/// then the validations. The same walk gives the expected value (under <see cref="TrainingEstimateAssumptions"/>) and the
/// upper bound (every proposal new, no update skipped, every memory prompt a candidate, every answer wrong for the
/// penalty, every validation made in full), with or without racing. A judge metric's gradings (<see cref="CallRole.Judge"/>)
/// follow the answers the metric scores: the forward pass, the validations, and under accuracy scoring the output
/// node's answers on its posteriors and its candidates'.
/// </summary>
internal static class TrainingEstimator
{
    public static TrainingEstimate Estimate(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, VariationalTrainerOptions o, TrainingRunOptions run, TrainingEstimateAssumptions assumptions)
    {
        // With a cache the current prompt's scores are free: the forward pass and the posterior weights asked them
        // already. Without one every score is a call.
        var cached = run.RuntimeDecorators.HasFlag(RuntimeDecorators.Cache) || network.Layers.All(l => RunModels.Present(l.Model).HasFlag(RuntimeDecorators.Cache));
        var shape = new Shape(network, train, dev, o);
        var expected = shape.Project(Behaviour.Expected(assumptions, o), cached);
        var bound = shape.Project(Behaviour.UpperBound(o), cached);

        // A cache share measured on a pilot replaces the trainer's own cache hits for its role: it applies to every
        // request of that role (as if nothing were cached), the current prompt's scores included.
        if (cached && (assumptions.ForwardCacheHitFraction ?? assumptions.ScoringCacheHitFraction ?? assumptions.EvaluationCacheHitFraction) is not null)
        {
            var requests = shape.Project(Behaviour.Expected(assumptions, o), cached: false);
            foreach (var (role, share) in new[] { (CallRole.Forward, assumptions.ForwardCacheHitFraction), (CallRole.Scoring, assumptions.ScoringCacheHitFraction), (CallRole.Evaluation, assumptions.EvaluationCacheHitFraction) })
            {
                if (share is { } hits)
                {
                    expected.Calls[role] = requests.Calls[role] * (1 - hits);
                }
            }
        }

        // Rough token model: 4 characters per token of the rendered context, half the token limit per generation.
        static double Chars(IEnumerable<Example> examples) => examples.Select(e => (double)e.Input.Length).DefaultIfEmpty(200).Average();
        var outputLayer = network.Depth - 1;
        var inputTokens = (network.OutputLayer.Render(new string('x', (int)Chars(train))).Length / 4.0) + (network.Prompts.Sum(p => p.Length) / 4.0);
        var metaPromptTokens = inputTokens * Math.Min(shape.Batch, o.MaxExamplesInMetaPrompt);
        var hiddenOutput = network.Layers.Take(outputLayer).Select(l => l.OutputSpace.MaxTokens / 2.0).DefaultIfEmpty(0).Average();
        var all = expected.Calls.Values.Sum();
        var input = ((all - expected.Proposals) * (inputTokens + hiddenOutput)) + (expected.Proposals * metaPromptTokens);
        var output = (expected.Generations * hiddenOutput) + (expected.Proposals * o.BackwardMaxTokens / 2.0) + (all - expected.Generations - expected.Proposals);
        return new TrainingEstimate
        {
            CallsByRole = expected.Calls.ToDictionary(kv => kv.Key, kv => (long)Math.Round(kv.Value)),
            MaxCallsByRole = bound.Calls.ToDictionary(kv => kv.Key, kv => (long)Math.Ceiling(kv.Value - 1e-9)),
            InputTokens = (long)input,
            OutputTokens = (long)output,
            CallsPerIteration = (long)Math.Round(expected.PerUpdatedIteration),
            Validations = shape.Validations,
            Assumptions = assumptions,
        };
    }

    /// <summary>What the estimate assumes of the run (see <see cref="TrainingEstimateAssumptions"/>), as the walk uses it.</summary>
    private sealed record Behaviour(double Distinct, double Skipped, double RepeatedValidations, double Wrong, double? Memory, double ValidationItems, bool Bound)
    {
        public static Behaviour Expected(TrainingEstimateAssumptions a, VariationalTrainerOptions o) => new(
            a.DistinctProposalFraction, a.SkippedUpdateFraction, a.RepeatedValidationFraction, a.WrongAnswerFraction, a.MemoryCandidates,
            o.StopValidationEarly ? a.ValidationItemFraction : 1, Bound: false);

        public static Behaviour UpperBound(VariationalTrainerOptions o) => new(1, 0, 0, 1, o.MemorySize, 1, Bound: true);
    }

    private sealed record Projection(Dictionary<CallRole, double> Calls, double Proposals, double Generations, double PerUpdatedIteration);

    /// <summary>The network and settings the walk runs over.</summary>
    private sealed class Shape(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, VariationalTrainerOptions o)
    {
        public int Batch { get; } = Math.Min(o.BatchSize, Math.Max(1, train.Count));

        public int Validations { get; } = (o.EvaluateBeforeTraining ? 1 : 0) + (o.Iterations / o.ValidationInterval) + (o.Iterations % o.ValidationInterval != 0 ? 1 : 0);

        public Projection Project(Behaviour behaviour, bool cached)
        {
            var depth = network.Depth;
            var outputLayer = depth - 1;
            double b = Batch, k = o.HiddenSamples;
            var trained = (o.TrainedLayers ?? Enumerable.Range(0, depth)).ToHashSet();
            var output = network.OutputLayer;
            var scoring = o.OutputScoring == OutputScoring.Auto
                ? output.Model.Capabilities.Supports(output.OutputSpace.IsClassification ? output.ClassScoringOperation : LanguageModelOperation.ContinuationLogProbabilities) ? OutputScoring.LogProbabilities : OutputScoring.Accuracy
                : o.OutputScoring;

            // Calls of one answer of the output layer: class scoring asks one next-token call, or one continuation call
            // per spelling of every class; a free-text answer is one call, and so is every answer under accuracy
            // scoring, which answers by generation whatever the backend offers.
            var answerCost = scoring != OutputScoring.Accuracy && output.OutputSpace.IsClassification && output.Model.Capabilities.Supports(output.ClassScoringOperation) ? ClassScoringCalls(output) : 1.0;
            var scoreCost = scoring == OutputScoring.LogProbabilities && output.OutputSpace.IsClassification ? ClassScoringCalls(output) : scoring == OutputScoring.Accuracy ? answerCost : 1.0;
            var kl = o.TrustRegionFactor > 0 && output.OutputSpace.IsClassification && scoring == OutputScoring.LogProbabilities;
            var proposals = behaviour.Distinct * (o.PromptCandidates - 1);

            double forward = (b * (depth - 1)) + (b * answerCost), backward = 0, scores = 0, sampled = 0, memoryScoresPerCandidate = 0;
            var prior = o.PosteriorIncludesPrior ? b * k : 0;

            // The output layer's answers that scoring asks the metric to grade (under accuracy scoring), as calls are counted.
            double graded = 0, memoryGradedPerCandidate = 0;

            // The output layer, on the posteriors of the hidden layers it reads (sampled first and weighed by its
            // likelihood of the answer), or on the observed input.
            var parents = network.SourcesOf(outputLayer);
            foreach (var _ in parents)
            {
                backward += b * k;                                                                  // posterior samples
                sampled += b * k;
                scores += b * k * scoreCost;                                                        // likelihood of the answer
                graded += b * k;
                scores += prior;
            }

            if (trained.Contains(outputLayer))
            {
                // A term: the candidate's score of each sample of every posterior, and with a trust region its class
                // distribution on the forward input; the cache answers the current prompt's (the forward pass and the
                // posteriors asked them), and every candidate's distribution when the output layer reads the observed
                // input (it is the score itself).
                var observed = parents.Count == 0;
                var samples = observed ? 1 : k * parents.Count;
                var term = (samples * scoreCost) + (kl ? (cached && observed ? 0 : scoreCost) : 0);
                var currentTerm = cached ? 0 : (samples * scoreCost) + (kl ? scoreCost : 0);
                backward += o.PromptCandidates - 1;
                // Over hidden posteriors (weighed by the current prompt's own likelihood of the answer) or with a trust
                // region (the current prompt's divergence is 0), the current prompt starts ahead in every race.
                var favoured = !observed || kl;
                scores += CandidateScores(1 + proposals, term, currentTerm, completesWinner: !observed, hidden: false, favoured, behaviour);
                memoryScoresPerCandidate += MemoryScores(term, hidden: false, favoured, behaviour);
                graded += CandidateScores(1 + proposals, samples, cached ? 0 : samples, completesWinner: !observed, hidden: false, favoured, behaviour);
                memoryGradedPerCandidate += MemoryScores(samples, hidden: false, favoured, behaviour);
            }

            // Every hidden layer, after all its readers: its posterior (unless the output layer's step sampled it; then
            // only its other readers' likelihoods, each a continuation score), and its candidates scored on its text.
            for (var layer = outputLayer - 1; layer >= 0; layer--)
            {
                var readers = network.ReadersOf(layer).Count;
                if (parents.Contains(layer))
                {
                    scores += b * k * (readers - 1);
                }
                else
                {
                    backward += b * k;
                    sampled += b * k;
                    scores += b * k * readers;
                    scores += prior;
                }

                if (trained.Contains(layer))
                {
                    // The penalty scores the hidden text behind each wrong answer; the cache answers the current prompt's
                    // scores of the samples (the prior asked them).
                    var penalty = o.ExplorationPenalty > 0 ? behaviour.Wrong : 0;
                    var term = k + penalty;
                    var currentTerm = (cached && o.PosteriorIncludesPrior ? 0 : k) + penalty;
                    backward += o.PromptCandidates - 1;
                    scores += CandidateScores(1 + proposals, term, currentTerm, completesWinner: false, hidden: true, currentFavoured: false, behaviour);
                    memoryScoresPerCandidate += MemoryScores(term, hidden: true, currentFavoured: false, behaviour);
                }
            }

            var updated = o.Iterations * (1 - behaviour.Skipped);
            var memory = MemoryPerUpdate(behaviour);
            var memoryCalls = memoryScoresPerCandidate * memory * updated;
            var perUpdated = forward + backward + scores;

            // Validations: the first (before training) in full; every later one unless it repeats measured prompts, on
            // the share of the dev set a validation that may stop early uses.
            var validationCost = dev.Count * ((depth - 1) + answerCost);
            var initial = o.EvaluateBeforeTraining ? 1 : 0;
            var later = (Validations - initial) * (1 - behaviour.RepeatedValidations) * behaviour.ValidationItems;
            var proposalCalls = (backward - sampled) * updated;
            var calls = new Dictionary<CallRole, double>
            {
                [CallRole.Forward] = forward * o.Iterations,
                [CallRole.Backward] = backward * updated,
                [CallRole.Scoring] = (scores * updated) + memoryCalls,
                [CallRole.Evaluation] = (initial + later) * validationCost,
            };

            // A judge grades every answer the metric scores: the forward pass, the validations, and under accuracy
            // scoring the candidates' answers; a grading asked twice comes from the cache like the answer it grades.
            if (o.Metric is IModelBackedMetric)
            {
                var candidates = scoring == OutputScoring.Accuracy ? (graded * updated) + (memoryGradedPerCandidate * memory * updated) : 0;
                calls[CallRole.Judge] = (b * o.Iterations) + candidates + ((initial + later) * dev.Count);
            }
            return new Projection(calls, proposalCalls, (b * (depth - 1) * o.Iterations) + (sampled * updated), perUpdated);
        }

        /// <summary>Calls to score <paramref name="candidates"/> candidates (the current one first), by term, with or without racing.</summary>
        private double CandidateScores(double candidates, double term, double currentTerm, bool completesWinner, bool hidden, bool currentFavoured, Behaviour behaviour)
        {
            if (o.CandidateRacing is not { } racing)
            {
                return ((candidates - 1) * Batch * term) + (Batch * currentTerm);
            }

            var (others, current, completion) = Race(racing, candidates, Batch, hidden, behaviour.Bound, currentFavoured);
            return (others * term) + (current * currentTerm) + (completesWinner ? completion * term : 0);
        }

        /// <summary>
        /// The examples racing scores: for the candidates other than the current one, for the current one, and for the
        /// winner's completion (when the race ended before the whole batch). The bound takes the current prompt as never
        /// among the best of a round (so it is kept as an extra survivor with <see cref="CandidateRacingOptions.KeepCurrentPrompt"/>,
        /// and otherwise leaves after the first round); the expected value takes every ranking of the candidates as
        /// equally likely, or, when <paramref name="currentFavoured"/>, the current prompt as among the best of every
        /// round (the output layer scored over posteriors its current prompt weighed, or with a trust region: measured on
        /// the fan-in and stacked shapes of the tests, the current prompt survives nearly every round there).
        /// Neither counts the candidates <see cref="CandidateRacingOptions.DropMargin"/> drops (they depend on the scores):
        /// the bound holds, and the expected value is high by what they save, which a pilot's measured scoring cache share
        /// does not capture.
        /// </summary>
        internal static (double Others, double Current, double Completion) Race(CandidateRacingOptions racing, double candidates, int batch, bool hidden, bool bound, bool currentFavoured = false)
        {
            var size = racing.FirstSlice(batch, hidden);
            var alive = Math.Max(1, (int)Math.Round(candidates));
            var (others, current, completion) = Rounds(racing, alive, currentIn: true, size, batch, hidden, bound, currentFavoured);
            return ((alive - 1) * size + others, size + current, completion);
        }

        // The calls of the rounds after one of `size` examples with `alive` candidates, the current one among them or not.
        private static (double Others, double Current, double Completion) Rounds(CandidateRacingOptions racing, int alive, bool currentIn, int size, int batch, bool hidden, bool bound, bool currentFavoured)
        {
            if (size >= batch || alive <= 1)
            {
                return (0, 0, 0);
            }

            var keep = Math.Min(alive, racing.Survivors(alive, hidden));
            var grown = racing.NextSlice(size, batch);
            (double, double, double) Next(int next, bool currentStays)
            {
                if (next <= 1)
                {
                    // One left: the race ends; a winner other than the current prompt is scored on the rest of the batch.
                    return (0, 0, currentStays ? 0 : batch - size);
                }

                var (o2, c2, w2) = Rounds(racing, next, currentStays, grown, batch, hidden, bound, currentFavoured);
                var extra = grown - size;
                return (((next - (currentStays ? 1 : 0)) * extra) + o2, (currentStays ? extra : 0) + c2, w2);
            }

            if (!currentIn)
            {
                return Next(keep, currentStays: false);
            }

            var dropped = racing.KeepCurrentPrompt ? Next(Math.Min(alive, keep + 1), currentStays: true) : Next(keep, currentStays: false);
            if (bound)
            {
                return dropped;
            }

            // Among the best with probability keep / alive (or always, when favoured); then no extra survivor is needed for it.
            var p = currentFavoured ? 1 : (double)keep / alive;
            var kept = Next(keep, currentStays: true);
            return ((p * kept.Item1) + ((1 - p) * dropped.Item1), (p * kept.Item2) + ((1 - p) * dropped.Item2), (p * kept.Item3) + ((1 - p) * dropped.Item3));
        }

        /// <summary>The calls one remembered candidate adds to a layer update.</summary>
        private double MemoryScores(double term, bool hidden, bool currentFavoured, Behaviour behaviour)
        {
            if (o.CandidateRacing is { } racing)
            {
                // A remembered candidate races like a proposal: its share of the rounds' calls.
                var (others, _, _) = Race(racing, 1 + (behaviour.Distinct * (o.PromptCandidates - 1)) + 1, Batch, hidden, behaviour.Bound, currentFavoured);
                var (without, _, _) = Race(racing, 1 + (behaviour.Distinct * (o.PromptCandidates - 1)), Batch, hidden, behaviour.Bound, currentFavoured);
                return (others - without) * term;
            }

            return Batch * term;
        }

        /// <summary>Remembered candidates per update, averaged over the updated iterations.</summary>
        private double MemoryPerUpdate(Behaviour behaviour)
        {
            if (behaviour.Memory is { } memory)
            {
                return memory;
            }

            // The memory usually offers MemorySize − 1 prompts besides the current one from the first validation after
            // training starts on.
            var withMemory = Math.Max(0, o.Iterations - o.ValidationInterval);
            return o.Iterations > 0 && o.MemorySize > 1 ? (o.MemorySize - 1.0) * withMemory / o.Iterations : 0;
        }

        private static double ClassScoringCalls(LanguageLayer layer) =>
            layer.EffectiveClassScoring == ClassScoring.Continuation ? layer.OutputSpace.Classes.Sum(c => c.Verbalizers.Count) : 1;
    }
}
