namespace DeepLanguageNetworks;

/// <summary>
/// For every example of a batch, weighted candidates for one text of the network, and what each layer that reads that
/// text reads with each candidate. For a hidden node's output they are the K texts sampled from the posterior proposal,
/// weighted by how well they explain the targets of the nodes that read it. For the network's input, which is observed,
/// they are the output layer's input itself with weight 1: a degenerate posterior, so that the output layer of a
/// one-layer network is scored by the same walk as that of a deeper one.
/// </summary>
/// <param name="Samples">Per example, the candidate texts.</param>
/// <param name="Readers">The layers whose likelihoods weigh the candidates (the readers of the text), in the order they were scored.</param>
/// <param name="ReaderInputs">Per reader (as in <see cref="Readers"/>), per example and candidate: the reader's input with the candidate in place of the text and every other text at its forward value.</param>
/// <param name="Likelihoods">Per reader, per example and candidate: the reader's log-likelihood of its target given that input, under its current prompt.</param>
/// <param name="Prior">Per example and candidate, the writing layer's mean log-likelihood of it (0 when not scored).</param>
/// <param name="LogQ">Per example and candidate, the proposal's mean log-probability of it (0 when not asked).</param>
/// <param name="Weights">Per example, the normalised weights of its candidates.</param>
/// <param name="Best">Per example, the candidate of highest weight (h*): the target of the layer that wrote it.</param>
/// <param name="IsObserved">Whether the text is the network's input rather than a latent hidden text.</param>
internal sealed record Posterior(
    string[][] Samples,
    int[] Readers,
    string[][][] ReaderInputs,
    double[][][] Likelihoods,
    double[][] Prior,
    double[][] LogQ,
    double[][] Weights,
    string[] Best,
    bool IsObserved)
{
    /// <summary>The output layer's inputs, observed: one candidate per example, of weight 1.</summary>
    public static Posterior Observed(int outputLayer, IReadOnlyList<string> inputs)
    {
        var samples = inputs.Select(x => new[] { x }).ToArray();
        var zeros = inputs.Select(_ => new[] { 0.0 }).ToArray();
        return new Posterior(samples, [outputLayer], [samples], [zeros], zeros, zeros, inputs.Select(_ => new[] { 1.0 }).ToArray(), [.. inputs], IsObserved: true);
    }

    /// <summary>
    /// Sharpening weights w_k = softmax_k((Σ_c log p(target_c | input_c with sample k) + prior − log q) / T), the sum
    /// over the readers c of the text (log q only with <see cref="VariationalTrainerOptions.PosteriorCorrectsForProposal"/>),
    /// and the best sample per example.
    /// </summary>
    /// <param name="samples">Per example, the samples.</param>
    /// <param name="readers">The readers whose likelihoods are given.</param>
    /// <param name="readerInputs">Per reader, example and sample, the reader's input.</param>
    /// <param name="likelihoods">Per reader, example and sample, the reader's log-likelihood of its target.</param>
    /// <param name="prior">Per example and sample, the writer's log-likelihood of the sample.</param>
    /// <param name="logQ">Per example and sample, the proposal's log-probability of the sample.</param>
    /// <param name="options">Temperature, correction and best-sample-only settings.</param>
    public static Posterior Weigh(string[][] samples, int[] readers, string[][][] readerInputs, double[][][] likelihoods, double[][] prior, double[][] logQ, VariationalTrainerOptions options)
    {
        var weights = new double[samples.Length][];
        var best = new string[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            var logits = Logits(likelihoods, i, samples[i].Length, prior[i], logQ[i], options.PosteriorCorrectsForProposal);
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

        return new Posterior(samples, readers, readerInputs, likelihoods, prior, logQ, weights, best, IsObserved: false);
    }

    /// <summary>
    /// The logits of one example's samples: the readers' log-likelihoods summed in reader order (the first taken as it
    /// is, so one reader gives exactly its number), plus the prior, minus log q when correcting for the proposal.
    /// </summary>
    internal static double[] Logits(double[][][] likelihoods, int example, int samples, double[] prior, double[] logQ, bool correctForProposal)
    {
        var logits = new double[samples];
        for (var k = 0; k < samples; k++)
        {
            var sum = likelihoods[0][example][k];
            for (var r = 1; r < likelihoods.Length; r++)
            {
                sum += likelihoods[r][example][k];
            }

            logits[k] = sum + prior[k] - (correctForProposal ? logQ[k] : 0);
        }

        return logits;
    }

    /// <summary>The readers' inputs of <paramref name="reader"/>, per example and candidate.</summary>
    public string[][] ReaderInputsOf(int reader) => ReaderInputs[Array.IndexOf(Readers, reader)];

    /// <summary>
    /// The same samples with the likelihood of <paramref name="reader"/> replaced (the scores under a newly chosen
    /// prompt of that reader), weighed again; an observed text keeps its weight 1.
    /// </summary>
    public Posterior Reweighted(int reader, double[][] likelihood, VariationalTrainerOptions options)
    {
        if (IsObserved)
        {
            return this;
        }

        var likelihoods = (double[][][])Likelihoods.Clone();
        likelihoods[Array.IndexOf(Readers, reader)] = likelihood;
        return Weigh(Samples, Readers, ReaderInputs, likelihoods, Prior, LogQ, options);
    }

    /// <summary>The same samples weighed again with more readers' likelihoods added after the present ones.</summary>
    public Posterior WithReaders(int[] readers, string[][][] readerInputs, double[][][] likelihoods, VariationalTrainerOptions options) =>
        readers.Length == 0 ? this : Weigh(Samples, [.. Readers, .. readers], [.. ReaderInputs, .. readerInputs], [.. Likelihoods, .. likelihoods], Prior, LogQ, options);

    /// <summary>The posterior of the examples at <paramref name="kept"/> only (in that order).</summary>
    public Posterior Keep(IReadOnlyList<int> kept) => this with
    {
        Samples = [.. kept.Select(i => Samples[i])],
        ReaderInputs = [.. ReaderInputs.Select(r => kept.Select(i => r[i]).ToArray())],
        Likelihoods = [.. Likelihoods.Select(r => kept.Select(i => r[i]).ToArray())],
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
