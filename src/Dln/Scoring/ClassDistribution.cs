namespace DeepLanguageNetworks;

/// <summary>
/// A probability distribution over the classes of a classification layer, as computed by <see cref="ClassScorer"/>.
/// </summary>
public sealed class ClassDistribution
{
    private readonly double[] _probabilities;
    private readonly double[] _logProbabilities;

    /// <summary>Creates a distribution; probabilities are renormalised to sum to 1.</summary>
    /// <param name="classes">The classes, in the order of <paramref name="probabilities"/>.</param>
    /// <param name="probabilities">Non-negative finite masses, at least one positive.</param>
    /// <param name="flooredClasses">Labels of classes none of whose spellings were in the top-k and that received the floor mass.</param>
    public ClassDistribution(IReadOnlyList<OutputClass> classes, IReadOnlyList<double> probabilities, IReadOnlyList<string>? flooredClasses = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (classes.Count != probabilities.Count || classes.Count == 0)
        {
            throw new ArgumentException($"Expected one probability per class ({classes.Count}); got {probabilities.Count}.", nameof(probabilities));
        }

        var total = 0.0;
        foreach (var p in probabilities)
        {
            if (!double.IsFinite(p) || p < 0)
            {
                throw new ArgumentException($"Class masses must be finite and non-negative; got {p}.", nameof(probabilities));
            }

            total += p;
        }

        if (!(total > 0))
        {
            throw new ArgumentException("At least one class mass must be positive.", nameof(probabilities));
        }

        Classes = classes;
        _probabilities = probabilities.Select(p => p / total).ToArray();
        _logProbabilities = _probabilities.Select(p => Math.Log(p)).ToArray();
        FlooredClasses = flooredClasses ?? [];
        PredictedIndex = ArgMax(_probabilities);
    }

    private ClassDistribution(IReadOnlyList<OutputClass> classes, double[] logProbabilities, IReadOnlyList<string> flooredClasses)
    {
        Classes = classes;
        _logProbabilities = logProbabilities;
        _probabilities = logProbabilities.Select(l => Math.Exp(l)).ToArray();
        FlooredClasses = flooredClasses;
        PredictedIndex = ArgMax(_logProbabilities);
    }

    /// <summary>The classes.</summary>
    public IReadOnlyList<OutputClass> Classes { get; }

    /// <summary>P(class), in the order of <see cref="Classes"/>; sums to 1.</summary>
    public IReadOnlyList<double> Probabilities => _probabilities;

    /// <summary>Labels of the classes that got the floor mass because none of their spellings was in the top-k.</summary>
    public IReadOnlyList<string> FlooredClasses { get; }

    /// <summary>Index of the most probable class (the first one on ties).</summary>
    public int PredictedIndex { get; }

    /// <summary>The most probable class.</summary>
    public OutputClass Predicted => Classes[PredictedIndex];

    /// <summary>log P(class with <paramref name="label"/>).</summary>
    /// <param name="label">A class label; matched exactly, then after <see cref="AnswerNormalizer"/> normalisation.</param>
    /// <returns>The natural-log probability.</returns>
    /// <exception cref="ArgumentException">No class has that label.</exception>
    /// <remarks>Exact for a distribution made by <see cref="FromLogScores"/> even when the probability underflows to 0.</remarks>
    public double LogProbabilityOf(string label) => _logProbabilities[IndexOf(label)];

    /// <summary>
    /// Creates a distribution from unnormalised log-scores: log P(c) = score(c) − log Σ exp(score), computed without
    /// underflow, so a class far less likely than another keeps a finite log-probability.
    /// </summary>
    /// <param name="classes">The classes, in the order of <paramref name="logScores"/>.</param>
    /// <param name="logScores">One finite score or −∞ per class; at least one finite.</param>
    /// <param name="flooredClasses">Labels of classes whose score is a floor rather than a measurement.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentException">The counts differ, a score is NaN or +∞, or every score is −∞.</exception>
    public static ClassDistribution FromLogScores(IReadOnlyList<OutputClass> classes, IReadOnlyList<double> logScores, IReadOnlyList<string>? flooredClasses = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(logScores);
        if (classes.Count != logScores.Count || classes.Count == 0)
        {
            throw new ArgumentException($"Expected one log-score per class ({classes.Count}); got {logScores.Count}.", nameof(logScores));
        }

        var scores = logScores.ToArray();
        if (scores.Any(s => double.IsNaN(s) || double.IsPositiveInfinity(s)))
        {
            throw new ArgumentException($"Class log-scores must be finite or −∞; got {string.Join(", ", scores)}.", nameof(logScores));
        }

        var normalizer = LogMath.LogSumExp(scores);
        if (double.IsNegativeInfinity(normalizer))
        {
            throw new ArgumentException("At least one class log-score must be finite.", nameof(logScores));
        }

        return new ClassDistribution(classes, scores.Select(s => s - normalizer).ToArray(), flooredClasses ?? []);
    }

    /// <summary>Index of the class with <paramref name="label"/> or a spelling that normalises like it.</summary>
    /// <param name="label">A label or target.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ArgumentException">No class matches; the message lists the classes.</exception>
    public int IndexOf(string label)
    {
        for (var i = 0; i < Classes.Count; i++)
        {
            if (Classes[i].Label == label)
            {
                return i;
            }
        }

        var normalized = AnswerNormalizer.Normalize(label);
        for (var i = 0; i < Classes.Count; i++)
        {
            if (AnswerNormalizer.Normalize(Classes[i].Label) == normalized ||
                Classes[i].Verbalizers.Any(v => AnswerNormalizer.Normalize(v) == normalized))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{label}' is not one of the classes {string.Join(", ", Classes.Select(c => c.Label))}.", nameof(label));
    }

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Classes.Select((c, i) => $"{c.Label}: {_probabilities[i]:0.###}"));
}
