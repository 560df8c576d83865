namespace DeepLanguageNetworks;

/// <summary>
/// An optional service a backend offers when it can tokenize text exactly as its model reads it. Obtain it with
/// <c>model.GetService&lt;ILanguageModelTokenizer&gt;()</c>; decorators (<see cref="DelegatingLanguageModel"/>) pass the
/// request on to the model they wrap, so it is found through a whole pipeline.
/// </summary>
/// <remarks>
/// <para>Dln uses it to decide how to score classes (<see cref="ClassScoring.Auto"/> scores a class by teacher forcing
/// when one of its spellings takes more than one token) and to check request lengths against the context window before
/// spending calls. Without it, callers fall back to what needs no token counts.</para>
/// <para><b>For backend authors.</b> Return an instance from <see cref="ILanguageModel.GetService"/> for
/// <c>typeof(ILanguageModelTokenizer)</c> (implementing the interface on the model itself is enough: the default
/// <see cref="ILanguageModel.GetService"/> returns the model for any interface it implements). Implement it only when the
/// count is exact for the model behind the backend; an estimate (characters / 4) would make the automatic choices wrong.
/// It must be thread-safe and cheap (no network call, no inference): callers may count on every request.</para>
/// </remarks>
public interface ILanguageModelTokenizer
{
    /// <summary>
    /// The number of tokens the model reads for <paramref name="text"/> sent as a whole request: the tokens of the text
    /// read as plain text (markup such as <c>&lt;|im_start|&gt;</c> is not turned into special tokens), plus any
    /// beginning-of-sequence token the backend adds.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The token count; 0 for an empty text when the backend adds no beginning-of-sequence token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    int CountTokens(string text);
}
