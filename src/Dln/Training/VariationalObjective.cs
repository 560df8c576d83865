namespace DeepLanguageNetworks;

/// <summary>
/// The numbers of variational prompt training, as pure functions: posterior sharpening weights over hidden samples,
/// the weighted ELBO term a candidate prompt is scored by, the KL trust region and the decayed exploration penalty.
/// </summary>
internal static class VariationalObjective
{
    /// <summary>At or above this posterior temperature the weights are uniform (sharpening is off).</summary>
    public const double UniformTemperature = 100;

    /// <summary>
    /// Sharpening weights of one example's K hidden samples: w_k = softmax_k(logit_k / T), where logit_k is typically
    /// log p(y | x, h̃_k) + log p(h̃_k | x) (− log q(h̃_k)). Uniform when K = 1 or T ≥ <see cref="UniformTemperature"/>.
    /// </summary>
    /// <param name="logits">One logit per sample.</param>
    /// <param name="temperature">The posterior temperature (positive).</param>
    /// <returns>Weights summing to 1.</returns>
    public static double[] SharpeningWeights(IReadOnlyList<double> logits, double temperature)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Count == 0)
        {
            return [];
        }

        if (logits.Count == 1 || temperature >= UniformTemperature)
        {
            return Enumerable.Repeat(1.0 / logits.Count, logits.Count).ToArray();
        }

        // A NaN logit (a failed score) must not poison the others: treat it as impossible.
        var clean = logits.Select(l => double.IsNaN(l) ? double.NegativeInfinity : l).ToArray();
        return LogMath.Softmax(clean, temperature);
    }

    /// <summary>Entropy of sharpening weights divided by log K: 1 when uniform, 0 when one sample takes all the weight.</summary>
    /// <param name="weights">Weights of one example's samples.</param>
    /// <returns>The normalised entropy.</returns>
    public static double NormalizedEntropy(IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return LogMath.NormalizedEntropy(weights.ToArray());
    }

    /// <summary>
    /// The mean of <paramref name="count"/> terms, the first taken as it is (so one term gives exactly its number): the
    /// output layer's score over the posteriors of the several texts it reads.
    /// </summary>
    /// <param name="count">How many terms (at least one).</param>
    /// <param name="term">The term at an index.</param>
    /// <returns>The mean.</returns>
    public static double MeanOver(int count, Func<int, double> term)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var sum = term(0);
        for (var i = 1; i < count; i++)
        {
            sum += term(i);
        }

        return count == 1 ? sum : sum / count;
    }

    /// <summary>
    /// The weighted ELBO term of a candidate prompt: (1/B) Σ_i Σ_k w_ik · s_ik, where s_ik is the candidate's score of
    /// example i with hidden sample k (a log-likelihood, or 0/1 accuracy).
    /// </summary>
    /// <param name="weights">Per example, the weights of its samples.</param>
    /// <param name="scores">Per example, the candidate's score with each sample.</param>
    /// <returns>The batch mean of the weighted scores.</returns>
    public static double WeightedScore(IReadOnlyList<IReadOnlyList<double>> weights, IReadOnlyList<IReadOnlyList<double>> scores)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(scores);
        if (weights.Count != scores.Count)
        {
            throw new ArgumentException($"Expected scores for {weights.Count} examples; got {scores.Count}.", nameof(scores));
        }

        if (weights.Count == 0)
        {
            return 0;
        }

        var total = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i].Count != scores[i].Count)
            {
                throw new ArgumentException($"Example {i}: {weights[i].Count} weights but {scores[i].Count} scores.", nameof(scores));
            }

            for (var k = 0; k < weights[i].Count; k++)
            {
                total += weights[i][k] * scores[i][k];
            }
        }

        return total / weights.Count;
    }

    /// <summary>Mean KL(p_current ‖ p_candidate) between the class distributions of the current and a candidate prompt on the same inputs.</summary>
    /// <param name="current">The current prompt's distributions, one per example.</param>
    /// <param name="candidate">The candidate's distributions, in the same order.</param>
    /// <returns>The mean divergence in nats (0 for identical distributions).</returns>
    public static double MeanKlDivergence(IReadOnlyList<IReadOnlyList<double>> current, IReadOnlyList<IReadOnlyList<double>> candidate)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(candidate);
        if (current.Count != candidate.Count)
        {
            throw new ArgumentException($"Expected {current.Count} distributions; got {candidate.Count}.", nameof(candidate));
        }

        if (current.Count == 0)
        {
            return 0;
        }

        var total = 0.0;
        for (var i = 0; i < current.Count; i++)
        {
            total += LogMath.KlDivergence(current[i].ToArray(), candidate[i].ToArray());
        }

        return total / current.Count;
    }

    /// <summary>The exploration penalty's weight at iteration t: λ·(1 − t/T) with decay, λ without.</summary>
    /// <param name="penalty">λ.</param>
    /// <param name="iteration">0-based iteration t.</param>
    /// <param name="iterations">Total iterations T.</param>
    /// <param name="decay">Whether to decay linearly.</param>
    /// <returns>λ_t.</returns>
    public static double PenaltyWeight(double penalty, int iteration, int iterations, bool decay) =>
        decay && iterations > 0 ? penalty * (1 - ((double)iteration / iterations)) : penalty;

    /// <summary>
    /// The exploration penalty of a hidden-layer candidate: Σ over wrongly answered examples of the candidate's mean
    /// log-likelihood of the hidden text that led to the error, divided by the batch size.
    /// </summary>
    /// <param name="wrongHiddenScores">The candidate's scores of the hidden texts of the examples answered wrongly.</param>
    /// <param name="batchSize">B.</param>
    /// <returns>The penalty (subtract λ_t times it from the score).</returns>
    public static double Penalty(IEnumerable<double> wrongHiddenScores, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(wrongHiddenScores);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return wrongHiddenScores.Sum() / batchSize;
    }
}
