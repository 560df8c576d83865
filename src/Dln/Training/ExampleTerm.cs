namespace DeepLanguageNetworks;

/// <summary>
/// A candidate prompt's part of its layer's objective that comes from one batch example: its score with each of the
/// example's weighted samples, and the example's share of the trust region (output layer) or of the exploration
/// penalty (hidden layer).
/// </summary>
/// <param name="Scores">Per sample of the example, the candidate's score (log-likelihood or 0/1 accuracy).</param>
/// <param name="Extra">The KL divergence from the current prompt (output layer with a trust region), or the likelihood of the hidden text behind a wrong answer (hidden layer with the penalty); otherwise 0.</param>
/// <param name="HasExtra">Whether <paramref name="Extra"/> takes part in the objective for this example.</param>
internal readonly record struct ExampleTerm(double[] Scores, double Extra, bool HasExtra);
