namespace DeepLanguageNetworks;

/// <summary>What a <see cref="LanguageModelJudge"/> decided about one output.</summary>
/// <param name="Rating">The rating read from the reply, from 1 to <see cref="LanguageModelJudgeOptions.MaxRating"/>; <see langword="null"/> when the reply had none.</param>
/// <param name="Score">The rating mapped to [0, 1], (rating − 1) / (MaxRating − 1); 0 without a rating.</param>
/// <param name="Reason">The judge's reason, or why no rating could be read.</param>
/// <param name="Reply">The judge's whole reply.</param>
public sealed record JudgeVerdict(double? Rating, double Score, string Reason, string Reply);
