namespace DeepLanguageNetworks;

/// <summary>How a <see cref="LanguageModelJudge"/> grades. Each value is checked when set.</summary>
public sealed record LanguageModelJudgeOptions
{
    private readonly string _name = "judge";
    private readonly int _maxRating = 5;
    private readonly int _maxTokens = 200;

    /// <summary>The metric's name in reports, checkpoints and saved networks. Default <c>judge</c>.</summary>
    public string Name
    {
        get => _name;
        init => _name = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException("A judge needs a non-empty Name: it identifies the metric in checkpoints and saved networks.", nameof(Name))
            : value;
    }

    /// <summary>
    /// What the judge should look for besides agreement with the correct output, in your words (for example "The
    /// answer must be one polite sentence."), shown to the judge as written. Null (default): correctness only.
    /// </summary>
    public string? Criteria { get; init; }

    /// <summary>The top of the rating scale: the judge rates from 1 to this; rating r scores (r − 1) / (MaxRating − 1). Default 5; 2 to 10.</summary>
    public int MaxRating { get => _maxRating; init => _maxRating = OptionGuard.InRange(value, 2, 10, nameof(MaxRating)); }

    /// <summary>Most tokens of the judge's reply (a rating line and a one-sentence reason). Default 200.</summary>
    public int MaxTokens { get => _maxTokens; init => _maxTokens = OptionGuard.AtLeastOne(value, nameof(MaxTokens)); }

    /// <summary>
    /// Whether the judge sees the example's target as the correct output (default true). False grades without a
    /// reference, by the input and <see cref="Criteria"/> alone (for tasks whose targets are only one good answer among many).
    /// </summary>
    public bool ShowsCorrectOutput { get; init; } = true;
}
