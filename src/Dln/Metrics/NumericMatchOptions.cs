namespace DeepLanguageNetworks;

/// <summary>
/// How <see cref="Metrics.Numeric(NumericMatchOptions?)"/> compares the output's number o with the target's number t:
/// full credit when |o − t| ≤ max(<see cref="AbsoluteTolerance"/>, <see cref="RelativeTolerance"/> · |t|); outside
/// it 0, or with <see cref="PartialCredit"/> 1 − |o − t| / |t| (one minus the relative error, at least 0; 0 for t = 0).
/// Each value is checked when set.
/// </summary>
public sealed record NumericMatchOptions
{
    private readonly double _absoluteTolerance;
    private readonly double _relativeTolerance;

    /// <summary>Largest difference |o − t| that counts as equal. Default 0 (a tiny rounding margin apart).</summary>
    public double AbsoluteTolerance { get => _absoluteTolerance; init => _absoluteTolerance = OptionGuard.NonNegativeFinite(value, nameof(AbsoluteTolerance)); }

    /// <summary>Largest difference as a fraction of |t| that counts as equal (0.01: within 1 %). Default 0.</summary>
    public double RelativeTolerance { get => _relativeTolerance; init => _relativeTolerance = OptionGuard.NonNegativeFinite(value, nameof(RelativeTolerance)); }

    /// <summary>
    /// Whether an answer outside the tolerance gets partial credit, 1 − |o − t| / |t| (at least 0): 0.9 for an answer
    /// 10 % off. Default false (0 or 1).
    /// </summary>
    public bool PartialCredit { get; init; }
}
