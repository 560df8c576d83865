namespace DeepLanguageNetworks;

/// <summary>Numerically stable log-space helpers.</summary>
/// <remarks>
/// Hand-written because MathNet.Numerics 5.0 has no log-sum-exp or softmax; means and standard deviations use
/// MathNet's <c>Statistics</c>.
/// </remarks>
internal static class LogMath
{
    /// <summary>log(Σ exp(xᵢ)) with the maximum subtracted first; −∞ for an empty or all −∞ input.</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (v > max)
            {
                max = v;
            }
        }

        if (double.IsNegativeInfinity(max))
        {
            return double.NegativeInfinity;
        }

        var sum = 0.0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>softmax(xᵢ / temperature).</summary>
    public static double[] Softmax(ReadOnlySpan<double> logits, double temperature = 1.0)
    {
        if (!(temperature > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The softmax temperature must be positive.");
        }

        var scaled = new double[logits.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            scaled[i] = logits[i] / temperature;
        }

        var lse = LogSumExp(scaled);
        if (double.IsNegativeInfinity(lse))
        {
            // Every logit is −∞: no sample is preferred, so weigh them equally rather than returning NaN.
            Array.Fill(scaled, 1.0 / Math.Max(1, scaled.Length));
            return scaled;
        }

        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = Math.Exp(scaled[i] - lse);
        }

        return scaled;
    }

    /// <summary>Entropy of a distribution divided by log(n): 0 when all mass is on one item, 1 when uniform.</summary>
    public static double NormalizedEntropy(ReadOnlySpan<double> probabilities)
    {
        if (probabilities.Length <= 1)
        {
            return 0;
        }

        var h = 0.0;
        foreach (var p in probabilities)
        {
            if (p > 0)
            {
                h -= p * Math.Log(p);
            }
        }

        return h / Math.Log(probabilities.Length);
    }

    /// <summary>KL(p ‖ q) in nats, with q floored to avoid infinities from zero probabilities.</summary>
    public static double KlDivergence(ReadOnlySpan<double> p, ReadOnlySpan<double> q, double floor = 1e-12)
    {
        if (p.Length != q.Length)
        {
            throw new ArgumentException("Distributions must have the same length.", nameof(q));
        }

        var kl = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] > 0)
            {
                kl += p[i] * (Math.Log(p[i]) - Math.Log(Math.Max(q[i], floor)));
            }
        }

        return Math.Max(0, kl);
    }
}
