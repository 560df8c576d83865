using System.Numerics.Tensors;

namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>
/// Log-softmax, arg-max and top-k over one row of raw logits. The maximum comes from TensorPrimitives (vectorised);
/// the sums are written out because they must run in double precision with the maximum subtracted first (float sums
/// over 100k-token vocabularies drift), and arg-max because its ties must go to the lowest token id.
/// </summary>
internal static class LogitMath
{
    /// <summary>Returns log Σ exp(logit) over the row, computed stably in double precision.</summary>
    /// <param name="logits">One row of raw logits.</param>
    /// <returns>The log normaliser: subtract it from a logit to get a natural-log probability.</returns>
    public static double LogNormalizer(ReadOnlySpan<float> logits)
    {
        var max = TensorPrimitives.Max(logits);
        if (float.IsNaN(max) || float.IsNegativeInfinity(max))
        {
            throw new InvalidOperationException("llama.cpp returned a row of logits with no finite value.");
        }

        var sum = 0.0;
        foreach (var value in logits)
        {
            sum += Math.Exp((double)value - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>The natural-log probability of <paramref name="token"/> under the softmax of the row.</summary>
    /// <param name="logits">One row of raw logits.</param>
    /// <param name="token">The token id.</param>
    /// <returns>log p(token), at most 0.</returns>
    public static double LogProbability(ReadOnlySpan<float> logits, int token) => logits[token] - LogNormalizer(logits);

    /// <summary>The index of the largest logit; the lowest index wins a tie so that greedy decoding is reproducible.</summary>
    /// <param name="logits">One row of raw logits.</param>
    /// <returns>The arg-max token id.</returns>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The <paramref name="count"/> most likely tokens with their log-probabilities, most likely first (ties: lower id first).</summary>
    /// <param name="logits">One row of raw logits.</param>
    /// <param name="count">How many tokens to return, between 1 and the row length.</param>
    /// <returns>Token ids and natural-log probabilities in decreasing order of probability.</returns>
    public static (int Token, double LogProbability)[] TopK(ReadOnlySpan<float> logits, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, logits.Length);
        var logNormalizer = LogNormalizer(logits);

        int[] best;
        if (count * 8 >= logits.Length)
        {
            best = new int[logits.Length];
            for (var i = 0; i < best.Length; i++)
            {
                best[i] = i;
            }
        }
        else
        {
            // A min-heap of the best candidates so far keeps the cost at O(V log k) for large vocabularies.
            var heap = new PriorityQueue<int, (float Logit, int NegatedToken)>(count + 1);
            for (var i = 0; i < logits.Length; i++)
            {
                var key = (logits[i], -i);
                if (heap.Count < count)
                {
                    heap.Enqueue(i, key);
                }
                else if (heap.TryPeek(out _, out var smallest) && key.CompareTo(smallest) > 0)
                {
                    heap.EnqueueDequeue(i, key);
                }
            }

            best = new int[heap.Count];
            for (var i = 0; heap.TryDequeue(out var token, out _); i++)
            {
                best[i] = token;
            }
        }

        var row = logits.ToArray();
        Array.Sort(best, (a, b) => row[a] != row[b] ? row[b].CompareTo(row[a]) : a.CompareTo(b));
        var result = new (int, double)[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = (best[i], row[best[i]] - logNormalizer);
        }

        return result;
    }
}
