namespace DeepLanguageNetworks;

/// <summary>
/// A candidate prompt's part of its layer's objective that comes from one batch example: its score with each of the
/// example's weighted samples, and the example's share of the trust region (output layer) or of the exploration
/// penalty (hidden layer).
/// </summary>
/// <param name="Scores">Per sample of the example, the candidate's score (log-likelihood or 0/1 accuracy).</param>
/// <param name="Extra">The KL divergence from the current prompt (output layer with a trust region), or the likelihood of the hidden text behind a wrong answer (hidden layer with the penalty); otherwise 0.</param>
/// <param name="HasExtra">Whether <paramref name="Extra"/> takes part in the objective for this example.</param>
internal readonly record struct ExampleTerm(double[] Scores, double Extra, bool HasExtra)
{
    /// <summary>The term of an example one of whose requests did not fit the context window: it has no score.</summary>
    public static ExampleTerm Overflow => new([], 0, HasExtra: false) { Overflowed = true };

    /// <summary>Whether a request of the example did not fit the context window under the candidate (see <see cref="Overflow"/>).</summary>
    public bool Overflowed { get; init; }
}
