namespace DeepLanguageNetworks;

/// <summary>
/// An optional service a backend offers when it can hand out generated text as it is produced, rather than all at the
/// end. Obtain it with <c>model.GetService&lt;ILanguageModelStreamingGenerator&gt;()</c>; it is found through a whole
/// pipeline, as decorators pass <see cref="ILanguageModel.GetService"/> on to the model they wrap.
/// </summary>
/// <remarks>
/// <para>Dln's own training never streams. The Microsoft.Extensions.AI adapter (<c>LanguageModelChatClient</c> in
/// Dln.Extensions.AI) uses it for <c>GetStreamingResponseAsync</c>, so that a chat user sees tokens as they come.</para>
/// <para>A stream goes to the backend directly: decorators of the pipeline (cache, usage tracking, retries, limits)
/// do not see it. Use <see cref="ILanguageModel.GenerateAsync"/> where those matter.</para>
/// <para><b>For backend authors.</b> Validate the request as <see cref="ILanguageModel.GenerateAsync"/> does (with
/// <see cref="LanguageModelRequest.Validate"/>), before the first update. Yield text pieces in order; their
/// concatenation is the final response's text (text that may turn out to begin a stop sequence is held back until it
/// is known not to). End with one update whose <see cref="GenerationUpdate.Response"/> is the whole response, exactly
/// what <see cref="ILanguageModel.GenerateAsync"/> returns for the same request.</para>
/// </remarks>
public interface ILanguageModelStreamingGenerator
{
    /// <summary>Generates text after a prompt, handing out pieces as they are produced.</summary>
    /// <param name="request">The request, as for <see cref="ILanguageModel.GenerateAsync"/>.</param>
    /// <param name="cancellationToken">Stops generation between tokens.</param>
    /// <returns>Text pieces in order, then one last update carrying the whole response.</returns>
    /// <exception cref="ArgumentException">The request is invalid (see <see cref="LanguageModelRequest.Validate"/>).</exception>
    /// <exception cref="NotSupportedException">The request asks for something the backend lacks.</exception>
    IAsyncEnumerable<GenerationUpdate> GenerateStreamingAsync(GenerationRequest request, CancellationToken cancellationToken = default);
}
