namespace DeepLanguageNetworks;

/// <summary>
/// Projects the calls and tokens of a run without making any (see <see cref="TrainingEstimate"/> for the assumptions).
/// Calls follow the step's walk: the posterior samples of the hidden layers the output layer reads and the output
/// layer's candidates scored over them (or over the observed input), then for every other hidden layer its posterior
/// samples weighed by each of its readers, and every hidden layer's candidates scored on the text it wrote.
/// </summary>
internal static class TrainingEstimator
{
    public static TrainingEstimate Estimate(Dln network, IReadOnlyList<Example> train, IReadOnlyList<Example> dev, VariationalTrainerOptions o, TrainingRunOptions run)
    {
        var depth = network.Depth;
        var outputLayer = depth - 1;
        long b = Math.Min(o.BatchSize, Math.Max(1, train.Count));
        long n = o.PromptCandidates;
        long k = o.HiddenSamples;
        var trained = (o.TrainedLayers ?? Enumerable.Range(0, depth)).ToHashSet();
        var logProbabilities = o.OutputScoring != OutputScoring.Accuracy;
        var kl = o.TrustRegionFactor > 0 && network.OutputLayer.OutputSpace.IsClassification && logProbabilities;

        // With a cache the current prompt's scores are free: the forward pass and the posterior weights asked them
        // already. Without one every score is a call.
        var cached = run.RuntimeDecorators.HasFlag(RuntimeDecorators.Cache) || network.Layers.All(l => RunModels.Present(l.Model).HasFlag(RuntimeDecorators.Cache));
        long forward = b * depth, backward = 0, scoring = 0, sampled = 0, memoryCandidates = 0;
        var posteriorScores = o.PosteriorIncludesPrior ? 1 : 0;

        // The output layer, on the posteriors of the hidden layers it reads (sampled first and weighed by its
        // likelihood), or on the observed input.
        var parents = network.SourcesOf(outputLayer);
        foreach (var _ in parents)
        {
            backward += b * k;                                              // posterior samples
            scoring += b * k * (1 + posteriorScores);                      // likelihood (+ prior) of each sample
            sampled += b * k;
        }

        if (trained.Contains(outputLayer))
        {
            var observed = parents.Count == 0;
            var samples = observed ? 1 : k * parents.Count;

            // The trust region scores every candidate on the forward inputs; the cache answers the current prompt's,
            // and every candidate's when the output layer reads the observed input (those are its scoring inputs).
            var klCalls = !kl ? 0 : cached ? (observed ? 0 : (n - 1) * b) : n * b;
            backward += n - 1;
            scoring += (n * b * samples) - (cached ? b * samples : 0) + klCalls;
            memoryCandidates += (b * samples) + (kl && !observed ? b : 0);
        }

        // Every hidden layer: its posterior (unless the output layer's step sampled it; then only its other readers'
        // likelihoods), and its candidates scored on the text it wrote.
        for (var layer = outputLayer - 1; layer >= 0; layer--)
        {
            var readers = network.ReadersOf(layer).Count;
            if (parents.Contains(layer))
            {
                scoring += b * k * (readers - 1);
            }
            else
            {
                backward += b * k;
                scoring += b * k * (readers + posteriorScores);
                sampled += b * k;
            }

            if (trained.Contains(layer))
            {
                backward += n - 1;
                // The penalty scores the hidden texts of the wrong answers: about half the batch early in training.
                scoring += (n * b * k) - (cached && o.PosteriorIncludesPrior ? b * k : 0) + (o.ExplorationPenalty > 0 ? n * (b / 2) : 0);
                memoryCandidates += b * k;
            }
        }

        // From the first validation after training starts, the memory usually offers MemorySize − 1 prompts besides
        // the current one as extra candidates.
        var iterationsWithMemory = Math.Max(0, o.Iterations - o.ValidationInterval);
        var memoryCalls = o.MemorySize > 1 ? memoryCandidates * (o.MemorySize - 1) * iterationsWithMemory : 0;
        var validations = (o.EvaluateBeforeTraining ? 1 : 0) + (o.Iterations / o.ValidationInterval) + (o.Iterations % o.ValidationInterval != 0 ? 1 : 0);
        var evaluation = (long)validations * dev.Count * depth;
        var calls = new Dictionary<CallRole, long>
        {
            [CallRole.Forward] = forward * o.Iterations,
            [CallRole.Backward] = backward * o.Iterations,
            [CallRole.Scoring] = (scoring * o.Iterations) + memoryCalls,
            [CallRole.Evaluation] = evaluation,
        };

        // Rough token model: 4 characters per token of the rendered context, half the token limit per generation.
        static double Chars(IEnumerable<Example> examples) => examples.Select(e => (double)e.Input.Length).DefaultIfEmpty(200).Average();
        var inputTokens = (network.OutputLayer.Render(new string('x', (int)Chars(train))).Length / 4.0) + (network.Prompts.Sum(p => p.Length) / 4.0);
        var metaPromptTokens = inputTokens * Math.Min(b, o.MaxExamplesInMetaPrompt);
        var hiddenOutput = network.Layers.Take(outputLayer).Select(l => l.OutputSpace.MaxTokens / 2.0).DefaultIfEmpty(0).Average();
        var generations = (outputLayer * b) + sampled;     // hidden texts of the forward pass, posterior samples
        var proposals = backward - sampled;
        var input = ((calls.Values.Sum() - (proposals * o.Iterations)) * (inputTokens + hiddenOutput)) + (proposals * o.Iterations * metaPromptTokens);
        var output = (generations * o.Iterations * hiddenOutput) + (proposals * o.Iterations * o.BackwardMaxTokens / 2.0) + (calls[CallRole.Forward] + calls[CallRole.Scoring] + evaluation);
        return new TrainingEstimate
        {
            CallsByRole = calls,
            InputTokens = (long)input,
            OutputTokens = (long)output,
            CallsPerIteration = forward + backward + scoring,
            Validations = validations,
        };
    }
}
