namespace DeepLanguageNetworks;

/// <summary>
/// Projects the calls and tokens of a run without making any (see <see cref="TrainingEstimate"/> for the assumptions).
/// Calls follow the step's walk: for every text from the one the output layer reads down to the network's input, the
/// posterior samples of a hidden text, the output layer's candidates scored over the text it reads, and the hidden
/// layer's candidates scored on the text it wrote.
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
        long forward = b * depth, backward = 0, scoring = 0, sampled = 0, memoryCandidates = 0, outputScores = 0;
        for (var text = outputLayer - 1; text >= -1; text--)
        {
            var observed = text < 0;
            var samples = observed ? 1 : k;
            if (!observed)
            {
                backward += b * k;                                          // posterior samples
                scoring += b * k * (o.PosteriorIncludesPrior ? 2 : 1);      // likelihood (+ prior) of each sample
                sampled += b * k;
                outputScores += text + 2 == depth ? b * k : 0;              // the output layer's likelihood of each sample
            }

            if (text + 1 == outputLayer && trained.Contains(outputLayer))
            {
                // The trust region scores every candidate on the forward inputs; the cache answers the current prompt's,
                // and every candidate's when the output layer reads the observed input (those are its scoring inputs).
                var klCalls = !kl ? 0 : cached ? (observed ? 0 : (n - 1) * b) : n * b;
                backward += n - 1;
                scoring += (n * b * samples) - (cached ? b * samples : 0) + klCalls;
                outputScores += (n * b * samples) - (cached ? b * samples : 0);
                memoryCandidates += (b * samples) + (kl && !observed ? b : 0);
            }

            if (!observed && trained.Contains(text))
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

        // A judge grades every scored answer: the forward pass and the validations always, the candidates' answers
        // when they are scored by the metric.
        if (o.Metric is IModelBackedMetric)
        {
            calls[CallRole.Judge] = ((b + (logProbabilities ? 0 : outputScores)) * o.Iterations) + ((long)validations * dev.Count);
        }

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
