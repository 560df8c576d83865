namespace DeepLanguageNetworks;

/// <summary>
/// A hidden layer's term of the ELBO: a candidate prompt π scores (1/B) Σ_i Σ_k w_ik · ℓ̄(h_ik | x_i, π), the weighted
/// mean log-likelihood of the posterior samples of the layer's output given its forward input; minus the exploration
/// penalty λ_t · (1/B) Σ over wrongly answered examples of ℓ̄(h_i | x_i, π), the likelihood of the hidden text that led
/// to the error (λ_t decays to 0 over training with <see cref="VariationalTrainerOptions.DecayExplorationPenalty"/>).
/// On a slice of the batch (candidate racing) B is the size of the slice; examples that did not fit the context window
/// are left out of B.
/// </summary>
internal sealed class HiddenLayerObjective(Dln network, PromptSelector selector, VariationalTrainerOptions options)
{
    /// <summary>Chooses the prompt of hidden layer <paramref name="layer"/>.</summary>
    /// <param name="pass">The step's batch and forward pass.</param>
    /// <param name="layer">The hidden layer.</param>
    /// <param name="output">The posterior over the layer's output.</param>
    /// <param name="random">The step's stream.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>How the prompt was chosen, and the examples (by position) whose scoring did not fit the context window.</returns>
    public async Task<Selection> UpdateAsync(BatchPass pass, int layer, Posterior output, Random random, CancellationToken cancellationToken)
    {
        var shown = pass.Batch.Select((e, i) => new ProposalExample(pass.Forward[i].LayerInputs[layer], pass.Forward[i].HiddenOutputs[layer], output.Best[i], pass.Correct[i])).ToArray();
        var proposals = selector.Propose(layer, shown, random, cancellationToken);
        var objective = new Objective(network, options, pass, layer, output);
        return await selector.SelectAsync(proposals, objective, scoreWinnerOnAllExamples: false, cancellationToken).ConfigureAwait(false);
    }

    private sealed class Objective : LayerObjective
    {
        private readonly LanguageLayer _writer;
        private readonly BatchPass _pass;
        private readonly Posterior _output;
        private readonly double _lambda;
        private readonly CallPurpose _purpose;

        public Objective(Dln network, VariationalTrainerOptions options, BatchPass pass, int layer, Posterior output)
        {
            _writer = network.Layers[layer];
            _pass = pass;
            _output = output;
            Layer = layer;
            _lambda = VariationalObjective.PenaltyWeight(options.ExplorationPenalty, pass.Step, options.Iterations, options.DecayExplorationPenalty);
            _purpose = new CallPurpose(CallRole.Scoring, layer);
            RacingOrder = pass.RacingOrder(network.OutputLayer.OutputSpace);

            // Per example: one likelihood per sample (and, for a wrong answer under a penalty, of the text that led to it).
            CallsPerCandidate = output.Samples.Select((s, i) => s.Length + (_lambda > 0 && !pass.Correct[i] ? 1 : 0)).Sum();
        }

        public override int Layer { get; }

        public override int Examples => _pass.Batch.Length;

        public override IReadOnlyList<int> RacingOrder { get; }

        public override int CallsPerCandidate { get; }

        public override bool IsHiddenLayer => true;

        public override async Task<ExampleTerm> ScoreExampleAsync(string prompt, int example, CancellationToken cancellationToken)
        {
            var input = _pass.Forward[example].LayerInputs[Layer];
            var scores = Task.WhenAll(_output.Samples[example].Select(h => ContextOverflow.TryAsync(async () =>
                (await _writer.ScoreContinuationAsync(input, h, prompt, _purpose, cancellationToken).ConfigureAwait(false)).Mean)));
            if (_lambda <= 0 || _pass.Correct[example])
            {
                var fitted = await scores.ConfigureAwait(false);
                return fitted.All(f => f.Fits) ? new ExampleTerm([.. fitted.Select(f => f.Value)], 0, HasExtra: false) : ExampleTerm.Overflow;
            }

            // The penalty: how likely the candidate makes the hidden text that led to this example's wrong answer.
            var wrong = ContextOverflow.TryAsync(async () =>
                (await _writer.ScoreContinuationAsync(input, _pass.Forward[example].HiddenOutputs[Layer], prompt, _purpose, cancellationToken).ConfigureAwait(false)).Mean);
            await Task.WhenAll(scores, wrong).ConfigureAwait(false);
            return wrong.Result.Fits && scores.Result.All(f => f.Fits)
                ? new ExampleTerm([.. scores.Result.Select(f => f.Value)], wrong.Result.Value, HasExtra: true)
                : ExampleTerm.Overflow;
        }

        public override double Aggregate(IReadOnlyList<int> examples, Func<int, ExampleTerm> term)
        {
            var terms = examples.Select(term).ToArray();
            var score = VariationalObjective.WeightedScore(
                examples.Select(i => (IReadOnlyList<double>)_output.Weights[i]).ToArray(),
                terms.Select(t => (IReadOnlyList<double>)t.Scores).ToArray());
            if (_lambda > 0 && terms.Length > 0)
            {
                score -= _lambda * VariationalObjective.Penalty(terms.Where(t => t.HasExtra).Select(t => t.Extra).ToArray(), terms.Length);
            }

            return score;
        }
    }
}
