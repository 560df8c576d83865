namespace DeepLanguageNetworks;

/// <summary>How a classification layer turns the model's log-probabilities into a distribution over its classes.</summary>
/// <remarks>
/// <para>Both methods read the answer on the line after the rendered context: the context is the layer's rendered text
/// followed by a newline, and each spelling is scored (or matched) exactly as written, with no space added before it,
/// which is how <see cref="LanguageLayer.Demonstrations"/> write their answers.</para>
/// <para><b>Cost per scored input.</b> <see cref="NextToken"/>: one next-token call, whatever the number of classes.
/// <see cref="Continuation"/>: one teacher-forced continuation call per spelling (Σ over classes of their spellings),
/// all sent at once; a backend that batches (the local LLamaSharp model) evaluates them together and computes the shared
/// context once, so the extra work is the spellings' own tokens. A hosted completions endpoint bills the context once
/// per spelling.</para>
/// </remarks>
public enum ClassScoring
{
    /// <summary>
    /// <see cref="Continuation"/> when the backend scores continuations, offers an <see cref="ILanguageModelTokenizer"/>
    /// and some spelling takes more than one token after the context (so the next token cannot tell the classes apart);
    /// also when the backend has continuation scoring but no next-token log-probabilities. <see cref="NextToken"/>
    /// otherwise. Decided once per layer.
    /// </summary>
    Auto,

    /// <summary>
    /// The paper's method: the top-k next tokens after the context, matched to the spellings (and, with
    /// <see cref="LanguageLayerOptions.MatchVerbalizerPrefixes"/>, to their first tokens); a class with no matching token
    /// gets the floor exp(lowest top-k log-probability). Exact when every spelling is one token; needs
    /// <see cref="LanguageModelCapabilities.NextTokenLogProbabilities"/>.
    /// </summary>
    NextToken,

    /// <summary>
    /// Exact class probabilities by teacher forcing: P(c) ∝ Σ over c's spellings s of p(s | context), where p(s | context)
    /// is the product of the probabilities of s's tokens (the sum of their log-probabilities, no burn-in, no averaging).
    /// Needs <see cref="LanguageModelCapabilities.ContinuationLogProbabilities"/>; the spellings of all classes are sent together, one request each.
    /// </summary>
    Continuation,
}
