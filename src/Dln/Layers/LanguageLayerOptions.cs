namespace DeepLanguageNetworks;

/// <summary>Decoding and scoring settings of a <see cref="LanguageLayer"/>. Defaults are the paper's settings.</summary>
public sealed record LanguageLayerOptions
{
    private readonly double _temperature;
    private readonly int _topLogProbabilities = 100;
    private readonly double _burnInRatio = ContinuationScorer.DefaultBurnInRatio;
    private readonly IReadOnlyList<string> _stopSequences = [];
    private readonly ClassScoring _classScoring;

    /// <summary>Forward temperature; 0 (greedy) in the paper for training and test.</summary>
    public double Temperature
    {
        get => _temperature;
        init => _temperature = value is >= 0 and <= 2 ? value : throw new ArgumentOutOfRangeException(nameof(Temperature), value, "Temperature must be in [0, 2].");
    }

    /// <summary>
    /// How many next-token alternatives to request for next-token class scoring (<see cref="ClassScoring.NextToken"/>): 100, as in the paper, clamped to the backend's
    /// <see cref="LanguageModelCapabilities.MaxTopLogProbabilities"/> (20 for OpenAI chat models; the whole vocabulary
    /// for a local model). More alternatives mean fewer classes floored for lack of a matching token.
    /// </summary>
    public int TopLogProbabilities
    {
        get => _topLogProbabilities;
        init => _topLogProbabilities = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(TopLogProbabilities), value, "TopLogProbabilities must be at least 1.");
    }

    /// <summary>Fraction of a continuation's first tokens not scored (0.05 in the paper).</summary>
    public double ContinuationBurnInRatio
    {
        get => _burnInRatio;
        init => _burnInRatio = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(ContinuationBurnInRatio), value, "ContinuationBurnInRatio must be in [0, 1).");
    }

    /// <summary>Stop sequences of free-text generation.</summary>
    public IReadOnlyList<string> StopSequences
    {
        get => _stopSequences;
        init => _stopSequences = value ?? throw new ArgumentNullException(nameof(StopSequences));
    }

    /// <summary>Replace blank lines ("\n\n") in generated text by single newlines, as the paper does, so a hidden text stays one block.</summary>
    public bool CollapseBlankLines { get; init; } = true;

    /// <summary>In next-token class scoring, count tokens that begin exactly one class's spelling as that class (a token that begins several counts for none).</summary>
    public bool MatchVerbalizerPrefixes { get; init; } = true;

    /// <summary>
    /// How a classification layer scores its classes: <see cref="DeepLanguageNetworks.ClassScoring.Auto"/> (the default)
    /// scores by teacher-forced continuation when the backend can and some spelling is several tokens, by the next
    /// token's top-k (the paper's method) otherwise. See <see cref="DeepLanguageNetworks.ClassScoring"/> for the rule and the cost.
    /// </summary>
    public ClassScoring ClassScoring
    {
        get => _classScoring;
        init => _classScoring = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(ClassScoring), value, "ClassScoring must be Auto, NextToken or Continuation.");
    }

    /// <inheritdoc />
    public bool Equals(LanguageLayerOptions? other) =>
        other is not null && Temperature.Equals(other.Temperature) && TopLogProbabilities == other.TopLogProbabilities &&
        ContinuationBurnInRatio.Equals(other.ContinuationBurnInRatio) && StopSequences.SequenceEqual(other.StopSequences) &&
        CollapseBlankLines == other.CollapseBlankLines && MatchVerbalizerPrefixes == other.MatchVerbalizerPrefixes &&
        ClassScoring == other.ClassScoring;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Temperature, TopLogProbabilities, ContinuationBurnInRatio, StopSequences.Count);
}
