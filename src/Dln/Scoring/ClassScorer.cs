namespace DeepLanguageNetworks;

/// <summary>
/// Turns model log-probabilities into a distribution over a layer's classes (class-constrained scoring): a next-token
/// top-k list (<see cref="Score"/>, the paper's method) or the teacher-forced log-probabilities of the classes'
/// spellings (<see cref="ScoreSpellings"/>).
/// </summary>
/// <remarks>
/// <para>Next-token rule, for each class c with spellings V(c) (each also with a leading space):</para>
/// <list type="number">
/// <item>Tokens whose log-probability is not finite (NaN, or −∞ padding) are ignored; a log-probability above 0 (impossible,
/// a backend's rounding or a broken server) counts as 0, so that no token carries more than probability 1.</item>
/// <item>Every top-k token is assigned to at most one class: to the class one of whose spellings equals it; otherwise,
/// when prefix matching is on, to the single class one of whose spellings starts with it (a token that
/// starts spellings of two classes, such as <c>n</c> for <c>no</c> and <c>neutral</c>, is ignored).</item>
/// <item>mass(c) = Σ exp(log-prob) of the tokens assigned to c.</item>
/// <item>A class with no assigned token gets the floor exp(min top-k log-prob) (1e-6 when the top-k has no finite log-prob) —
/// once per class, not once per missing spelling, so classes with more spellings are not favoured.</item>
/// <item>P(c) = mass(c) / Σ mass. The prediction is the argmax (the first class on ties).</item>
/// </list>
/// </remarks>
internal static class ClassScorer
{
    /// <summary>The floor used when the top-k list is empty or has no finite log-probability.</summary>
    public const double EmptyTopKFloor = 1e-6;

    /// <summary>Computes the class distribution.</summary>
    /// <param name="topTokens">The next-token alternatives with log-probabilities.</param>
    /// <param name="classes">The layer's classes.</param>
    /// <param name="matchPrefixes">Also count tokens that begin exactly one class's spellings (for multi-token verbalizers).</param>
    /// <returns>The distribution over <paramref name="classes"/>.</returns>
    public static ClassDistribution Score(IReadOnlyList<TokenLogProbability> topTokens, IReadOnlyList<OutputClass> classes, bool matchPrefixes = true)
    {
        ArgumentNullException.ThrowIfNull(topTokens);
        ArgumentNullException.ThrowIfNull(classes);
        var spellings = classes.Select(c => c.Verbalizers.SelectMany(v => new[] { v, " " + v }).ToArray()).ToArray();
        var mass = new double[classes.Count];
        var hit = new bool[classes.Count];
        var minLogProb = double.PositiveInfinity;

        foreach (var (token, reported) in topTokens)
        {
            // NaN is a backend glitch; −∞ is a zero-probability entry (some backends pad the top-k with them). Neither
            // carries mass, and neither may move the floor, or padding would change the distribution.
            if (!double.IsFinite(reported))
            {
                continue;
            }

            // exp of a large positive value overflows to ∞ and would make every probability NaN.
            var logProb = Math.Min(reported, 0);

            minLogProb = Math.Min(minLogProb, logProb);
            var owner = FindOwner(token, spellings, exact: true);
            if (owner < 0 && matchPrefixes && token.Trim().Length > 0)
            {
                owner = FindOwner(token, spellings, exact: false);
            }

            if (owner >= 0)
            {
                mass[owner] += Math.Exp(logProb);
                hit[owner] = true;
            }
        }

        var floor = double.IsPositiveInfinity(minLogProb) ? EmptyTopKFloor : Math.Exp(minLogProb);
        if (!(floor > 0))
        {
            floor = double.Epsilon;
        }

        var floored = new List<string>();
        for (var i = 0; i < mass.Length; i++)
        {
            if (!hit[i] || !(mass[i] > 0))
            {
                mass[i] = floor;
                floored.Add(classes[i].Label);
            }
        }

        return new ClassDistribution(classes, mass, floored);
    }

    /// <summary>
    /// Computes the class distribution from the teacher-forced log-probability of every spelling (continuation class
    /// scoring, <see cref="ClassScoring.Continuation"/>): log-score(c) = log Σₛ exp(log p(s | context)) over c's
    /// spellings s, and P(c) = exp(log-score(c)) / Σ exp(log-score).
    /// </summary>
    /// <remarks>
    /// <para>log p(s | context) must be the <b>sum</b> of the log-probabilities of s's tokens, the exact log-probability that
    /// the text continues with s. A mean per token, or a burn-in, would not be a probability: classes with longer
    /// spellings would gain, and spellings of one class could not be added.</para>
    /// <para>A NaN or −∞ log-probability carries no mass (a spelling the model cannot produce); one above 0 (a backend's
    /// rounding) counts as 0. A class none of whose spellings has mass is listed in
    /// <see cref="ClassDistribution.FlooredClasses"/> and gets the floor: the least finite spelling log-probability of
    /// the call minus ln 10⁶. When no spelling has mass at all, the distribution is uniform and every class is floored.</para>
    /// <para>A spelling that is a prefix of another class's spelling (<c>no</c>, <c>none</c>) also counts the texts that
    /// go on to the longer one; choose spellings that are not prefixes of each other when that matters.</para>
    /// </remarks>
    /// <param name="classes">The layer's classes.</param>
    /// <param name="spellingLogProbabilities">For each class, in the order of <paramref name="classes"/>, the log-probability
    /// of each of its spellings (<see cref="OutputClass.Verbalizers"/>, same order).</param>
    /// <returns>The distribution over <paramref name="classes"/>, with exact log-probabilities (no underflow).</returns>
    /// <exception cref="ArgumentException">The lists do not match the classes and their spellings.</exception>
    public static ClassDistribution ScoreSpellings(IReadOnlyList<OutputClass> classes, IReadOnlyList<IReadOnlyList<double>> spellingLogProbabilities)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(spellingLogProbabilities);
        if (classes.Count != spellingLogProbabilities.Count || classes.Count == 0)
        {
            throw new ArgumentException($"Expected spelling log-probabilities for each of the {classes.Count} classes; got {spellingLogProbabilities.Count}.", nameof(spellingLogProbabilities));
        }

        var logScores = new double[classes.Count];
        var leastFinite = double.PositiveInfinity;
        for (var c = 0; c < classes.Count; c++)
        {
            var spellings = spellingLogProbabilities[c] ?? throw new ArgumentException($"The spelling log-probabilities of class '{classes[c].Label}' are null.", nameof(spellingLogProbabilities));
            if (spellings.Count != classes[c].Verbalizers.Count)
            {
                throw new ArgumentException(
                    $"Class '{classes[c].Label}' has {classes[c].Verbalizers.Count} spellings; got {spellings.Count} log-probabilities.", nameof(spellingLogProbabilities));
            }

            var values = new double[spellings.Count];
            for (var s = 0; s < values.Length; s++)
            {
                var value = spellings[s];
                values[s] = double.IsNaN(value) ? double.NegativeInfinity : Math.Min(value, 0);
                if (double.IsFinite(values[s]))
                {
                    leastFinite = Math.Min(leastFinite, values[s]);
                }
            }

            logScores[c] = LogMath.LogSumExp(values);
        }

        var floored = new List<string>();
        var floor = double.IsPositiveInfinity(leastFinite) ? 0 : leastFinite + Math.Log(EmptyTopKFloor);
        for (var c = 0; c < logScores.Length; c++)
        {
            if (double.IsNegativeInfinity(logScores[c]))
            {
                logScores[c] = floor;
                floored.Add(classes[c].Label);
            }
        }

        return ClassDistribution.FromLogScores(classes, logScores, floored);
    }

    private static int FindOwner(string token, string[][] spellings, bool exact)
    {
        var owner = -1;
        for (var c = 0; c < spellings.Length; c++)
        {
            var matches = exact
                ? spellings[c].Contains(token, StringComparer.Ordinal)
                : spellings[c].Any(s => s.Length > token.Length && s.StartsWith(token, StringComparison.Ordinal));
            if (!matches)
            {
                continue;
            }

            if (owner >= 0)
            {
                return -1; // ambiguous between classes
            }

            owner = c;
        }

        return owner;
    }
}
