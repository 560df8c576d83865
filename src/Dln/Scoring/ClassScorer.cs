namespace DeepLanguageNetworks;

/// <summary>
/// Turns a next-token top-k list into a distribution over a layer's classes (class-constrained scoring).
/// </summary>
/// <remarks>
/// <para>Rule, for each class c with spellings V(c) (each also with a leading space):</para>
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
public static class ClassScorer
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
