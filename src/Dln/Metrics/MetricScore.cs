namespace DeepLanguageNetworks;

/// <summary>A metric's verdict on one output: a score in [0, 1] and optional feedback text.</summary>
/// <param name="Score">The score: 1 for a full success, 0 for a failure, partial credit between.</param>
/// <param name="Feedback">
/// What is wrong with the output (or right with it), in words the prompt proposer can act on; shown under the
/// output in the proposer's meta-prompt when the score is below the success score. <see langword="null"/> for none.
/// </param>
public readonly record struct MetricScore(double Score, string? Feedback = null)
{
    /// <summary>The score: 1 for a full success, 0 for a failure, partial credit between.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The score is NaN or outside [0, 1].</exception>
    public double Score { get; } = Score is >= 0 and <= 1
        ? Score
        : throw new ArgumentOutOfRangeException(nameof(Score), Score, "A metric score must be a number in [0, 1] (1: a full success, 0: a failure).");

    /// <summary>A full success (score 1).</summary>
    /// <param name="feedback">Optional feedback.</param>
    /// <returns>The score.</returns>
    public static MetricScore Success(string? feedback = null) => new(1, feedback);

    /// <summary>A failure (score 0).</summary>
    /// <param name="feedback">Optional feedback: what is wrong.</param>
    /// <returns>The score.</returns>
    public static MetricScore Failure(string? feedback = null) => new(0, feedback);

    /// <summary>1 when <paramref name="correct"/>, else 0.</summary>
    /// <param name="correct">Whether the output is right.</param>
    /// <param name="feedback">Optional feedback.</param>
    /// <returns>The score.</returns>
    public static MetricScore FromBoolean(bool correct, string? feedback = null) => new(correct ? 1 : 0, feedback);
}
