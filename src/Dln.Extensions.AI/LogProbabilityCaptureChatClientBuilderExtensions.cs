using Microsoft.Extensions.AI;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>Adds <see cref="LogProbabilityCapturingChatClient"/> to a Microsoft.Extensions.AI pipeline.</summary>
public static class LogProbabilityCaptureChatClientBuilderExtensions
{
    /// <summary>
    /// Keeps OpenAI token log-probabilities in the response's serialisable additional properties, so that Dln can
    /// score classes through a cache that rebuilds responses. Add it after (below) <c>UseDistributedCache</c>:
    /// <c>.UseDistributedCache(cache).UseLogProbabilityCapture()</c>.
    /// </summary>
    /// <param name="builder">The pipeline being built.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseLogProbabilityCapture(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new LogProbabilityCapturingChatClient(inner));
    }
}
