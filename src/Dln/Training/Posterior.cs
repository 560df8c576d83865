namespace DeepLanguageNetworks;

/// <summary>
/// For every example of a batch, weighted candidates for one text of the network, and what the layer that reads that
/// text reads with each. For a hidden layer's output they are the K texts sampled from the posterior proposal, weighted
/// by how well they explain the target. For the network's input, which is observed, they are the input itself with
/// weight 1: a degenerate posterior, so that the output layer of a one-layer network is scored by the same walk as that
/// of a deeper one.
/// </summary>
/// <param name="Samples">Per example, the candidate texts.</param>
/// <param name="ReaderInputs">Per example and candidate, the input of the layer that reads the text.</param>
/// <param name="Prior">Per example and candidate, the writing layer's mean log-likelihood of it (0 when not scored).</param>
/// <param name="LogQ">Per example and candidate, the proposal's mean log-probability of it (0 when not asked).</param>
/// <param name="Weights">Per example, the normalised weights of its candidates.</param>
/// <param name="Best">Per example, the candidate of highest weight (h*): the target of the layer below.</param>
/// <param name="IsObserved">Whether the text is the network's input rather than a latent hidden text.</param>
internal sealed record Posterior(string[][] Samples, string[][] ReaderInputs, double[][] Prior, double[][] LogQ, double[][] Weights, string[] Best, bool IsObserved)
{
    /// <summary>The network's input, observed: one candidate per example, of weight 1.</summary>
    public static Posterior Observed(IReadOnlyList<string> inputs)
    {
        var samples = inputs.Select(x => new[] { x }).ToArray();
        var zeros = inputs.Select(_ => new[] { 0.0 }).ToArray();
        return new Posterior(samples, samples, zeros, zeros, inputs.Select(_ => new[] { 1.0 }).ToArray(), [.. inputs], IsObserved: true);
    }

    /// <summary>
    /// Sharpening weights w_k = softmax_k((log p(target | sample) + prior − log q) / T) (log q only with
    /// <see cref="VariationalTrainerOptions.PosteriorCorrectsForProposal"/>), and the best sample per example.
    /// </summary>
    public static Posterior Weigh(string[][] samples, string[][] readerInputs, double[][] likelihood, double[][] prior, double[][] logQ, VariationalTrainerOptions options)
    {
        var weights = new double[samples.Length][];
        var best = new string[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            var logits = samples[i].Select((_, k) => likelihood[i][k] + prior[i][k] - (options.PosteriorCorrectsForProposal ? logQ[i][k] : 0)).ToArray();
            var w = VariationalObjective.SharpeningWeights(logits, options.PosteriorTemperature);
            var argmax = 0;
            for (var k = 1; k < w.Length; k++)
            {
                if (w[k] > w[argmax])
                {
                    argmax = k;
                }
            }

            if (options.UseBestHiddenSampleOnly)
            {
                w = w.Select((_, k) => k == argmax ? 1.0 : 0.0).ToArray();
            }

            weights[i] = w;
            best[i] = samples[i][argmax];
        }

        return new Posterior(samples, readerInputs, prior, logQ, weights, best, IsObserved: false);
    }

    /// <summary>The same samples weighted by another likelihood (the scores under a newly chosen reader prompt); an observed text keeps its weight 1.</summary>
    public Posterior Reweighted(double[][] likelihood, VariationalTrainerOptions options) =>
        IsObserved ? this : Weigh(Samples, ReaderInputs, likelihood, Prior, LogQ, options);

    /// <summary>The posterior of the examples at <paramref name="kept"/> only (in that order).</summary>
    public Posterior Keep(IReadOnlyList<int> kept) => this with
    {
        Samples = [.. kept.Select(i => Samples[i])],
        ReaderInputs = [.. kept.Select(i => ReaderInputs[i])],
        Prior = [.. kept.Select(i => Prior[i])],
        LogQ = [.. kept.Select(i => LogQ[i])],
        Weights = [.. kept.Select(i => Weights[i])],
        Best = [.. kept.Select(i => Best[i])],
    };

    /// <summary>The batch mean of the weights' normalised entropy (1 = uniform).</summary>
    public double MeanEntropy => Weights.Average(w => VariationalObjective.NormalizedEntropy(w));

    /// <summary>The weights in the shape <see cref="VariationalObjective.WeightedScore"/> takes.</summary>
    public IReadOnlyList<double>[] WeightLists => Weights.Select(w => (IReadOnlyList<double>)w).ToArray();
}
