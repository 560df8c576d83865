namespace DeepLanguageNetworks;

/// <summary>
/// The output layer's term of the ELBO: a candidate prompt π scores (1/B) Σ_i Σ_k w_ik · s(y_i | r_ik, π) over the
/// posterior of a text the output layer reads (the K weighted hidden samples r_ik, or the observed input with weight
/// 1 in a one-layer network), where s is the output score (<see cref="OutputScorer"/>: a log-likelihood, or the run's
/// metric under <see cref="OutputScoring.Accuracy"/>); in a graph whose output node reads several hidden nodes, the
/// mean of that term over their posteriors (each sample in place of its node's text, the other texts at their forward
/// values); minus, with a trust region, λ times the mean KL between the current prompt's class distribution and the
/// candidate's on the forward inputs. Every mean is over the examples scored, so a slice of the batch (candidate
/// racing) is scored the same way, and so is a batch from which examples that did not fit the context window were
/// left out.
/// </summary>
internal sealed class OutputLayerObjective(Dln network, OutputScorer scorer, PromptSelector selector, VariationalTrainerOptions options)
{
    /// <summary>Draws the proposals' random choices and starts their calls; the posteriors they are scored on may still be in the making.</summary>
    /// <param name="pass">The step's batch and forward pass.</param>
    /// <param name="random">The step's stream.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public ProposalRound Propose(BatchPass pass, Random random, CancellationToken cancellationToken)
    {
        var layer = network.Depth - 1;
        var shown = pass.Batch.Select((e, i) => new ProposalExample(pass.Forward[i].LayerInputs[layer], pass.Forward[i].Output, e.Target, pass.Correct[i], pass.Feedback[i])).ToArray();
        return selector.Propose(layer, shown, random, cancellationToken);
    }

    /// <summary>Chooses the output layer's prompt among the current one, the memory and the proposals of <paramref name="proposals"/>.</summary>
    /// <param name="pass">The step's batch and forward pass.</param>
    /// <param name="inputs">
    /// The posteriors over the texts the output layer reads (the hidden ones, or the observed input), of the same
    /// examples as <paramref name="pass"/>.
    /// </param>
    /// <param name="proposals">The round started by <see cref="Propose"/>.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>
    /// The update; per posterior, the chosen prompt's score of every remaining example and sample (to re-weigh the
    /// posteriors by; empty when a race chose it on a slice of an observed input, which is never re-weighed); and the
    /// examples (by position) whose scoring did not fit the context window, which the layers below go on without.
    /// </returns>
    public async Task<(LayerUpdate Update, double[][][] SelectedScores, int[] Dropped)> UpdateAsync(BatchPass pass, IReadOnlyList<Posterior> inputs, ProposalRound proposals, CancellationToken cancellationToken)
    {
        var objective = new Objective(network, scorer, options, pass, inputs);
        // Hidden posteriors are re-weighed by the chosen prompt's scores on every example, so the winner of a race that
        // ended early is scored on the rest of the batch; an observed input is never re-weighed.
        var observed = inputs.All(p => p.IsObserved);
        var selection = await selector.SelectAsync(proposals, objective, scoreWinnerOnAllExamples: !observed, cancellationToken).ConfigureAwait(false);
        if (selection.WinnerTerms is not { } terms)
        {
            return (selection.Update, [], selection.Dropped);
        }

        var remaining = CandidateEvaluation.Remaining(pass.Batch.Length, selection.Dropped);
        return (selection.Update, [.. inputs.Select((_, p) => terms.Select((t, j) => objective.ScoresOf(t, remaining[j], p).ToArray()).ToArray())], selection.Dropped);
    }

    private sealed class Objective : LayerObjective
    {
        private readonly OutputScorer _scorer;
        private readonly VariationalTrainerOptions _options;
        private readonly BatchPass _pass;
        private readonly IReadOnlyList<Posterior> _inputs;
        private readonly string[][][] _readerInputs;
        private readonly CallPurpose _purpose;
        private readonly IReadOnlyList<double>[]? _currentDistributions;

        public Objective(Dln network, OutputScorer scorer, VariationalTrainerOptions options, BatchPass pass, IReadOnlyList<Posterior> inputs)
        {
            _scorer = scorer;
            _options = options;
            _pass = pass;
            _inputs = inputs;
            Layer = network.Depth - 1;
            _readerInputs = [.. inputs.Select(p => p.ReaderInputsOf(Layer))];
            _purpose = new CallPurpose(CallRole.Scoring, Layer);
            var useKl = options.TrustRegionFactor > 0 && network.OutputLayer.OutputSpace.IsClassification && scorer.ScoresLogProbabilities;
            _currentDistributions = useKl ? pass.Forward.Select(f => f.Distribution!.Probabilities).ToArray() : null;
            RacingOrder = pass.RacingOrder(network.OutputLayer.OutputSpace);

            // Per example: one score per sample it reads from every posterior (and one on its forward input for the trust region).
            CallsPerCandidate = Enumerable.Range(0, pass.Batch.Length).Sum(i => _readerInputs.Sum(p => p[i].Length) + (useKl ? 1 : 0)) * scorer.CallsPerScore;
        }

        public override int Layer { get; }

        public override int Examples => _pass.Batch.Length;

        public override IReadOnlyList<int> RacingOrder { get; }

        /// <summary>
        /// The candidate's scores of example <paramref name="example"/> with the samples of posterior <paramref name="posterior"/>:
        /// a term holds the scores of every posterior's samples, one posterior after another.
        /// </summary>
        public ArraySegment<double> ScoresOf(ExampleTerm term, int example, int posterior)
        {
            var offset = 0;
            for (var p = 0; p < posterior; p++)
            {
                offset += _readerInputs[p][example].Length;
            }

            return new ArraySegment<double>(term.Scores, offset, _readerInputs[posterior][example].Length);
        }

        public override int CallsPerCandidate { get; }

        public override bool HasTrustRegion => _currentDistributions is not null;

        public override async Task<ExampleTerm> ScoreExampleAsync(string prompt, int example, CancellationToken cancellationToken)
        {
            var target = _pass.Batch[example];
            var scores = Task.WhenAll(_readerInputs.SelectMany(p => p[example]).Select(r => ContextOverflow.TryAsync(async () =>
                (await _scorer.ScoreAsync(r, target, prompt, _purpose, cancellationToken).ConfigureAwait(false)).Score)));
            if (_currentDistributions is null)
            {
                var fitted = await scores.ConfigureAwait(false);
                return fitted.All(f => f.Fits) ? new ExampleTerm([.. fitted.Select(f => f.Value)], 0, HasExtra: false) : ExampleTerm.Overflow;
            }

            // The trust region compares the candidate with the current prompt on the forward input of the example.
            var candidate = ContextOverflow.TryAsync(() => _scorer.ScoreAsync(_pass.Forward[example].LayerInputs[Layer], target, prompt, _purpose, cancellationToken));
            await Task.WhenAll(scores, candidate).ConfigureAwait(false);
            if (!candidate.Result.Fits || !scores.Result.All(f => f.Fits))
            {
                return ExampleTerm.Overflow;
            }

            var kl = LogMath.KlDivergence(_currentDistributions[example].ToArray(), candidate.Result.Value.Distribution!.Probabilities.ToArray());
            return new ExampleTerm([.. scores.Result.Select(f => f.Value)], kl, HasExtra: true);
        }

        public override double Aggregate(IReadOnlyList<int> examples, Func<int, ExampleTerm> term)
        {
            var terms = examples.Select(term).ToArray();
            var score = VariationalObjective.MeanOver(_inputs.Count, p => VariationalObjective.WeightedScore(
                examples.Select(i => (IReadOnlyList<double>)_inputs[p].Weights[i]).ToArray(),
                terms.Select((t, j) => (IReadOnlyList<double>)ScoresOf(t, examples[j], p)).ToArray()));
            if (_currentDistributions is not null && terms.Length > 0)
            {
                // Summed in example order and divided once, as VariationalObjective.MeanKlDivergence does.
                var total = 0.0;
                foreach (var t in terms)
                {
                    total += t.Extra;
                }

                score -= _options.TrustRegionFactor * (total / terms.Length);
            }

            return score;
        }
    }
}
