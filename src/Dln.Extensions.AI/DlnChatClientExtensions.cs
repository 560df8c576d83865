using Microsoft.Extensions.AI;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>Serves a trained network through Microsoft.Extensions.AI.</summary>
public static class DlnChatClientExtensions
{
    /// <summary>
    /// Serves a snapshot of <paramref name="network"/> as an <see cref="IChatClient"/>: the last user message runs
    /// through every layer and the answer is the output layer's text (see <see cref="DlnChatClient"/>). Compose it like
    /// any chat client: <c>network.AsChatClient().AsBuilder().UseLogging().UseOpenTelemetry().Build()</c>.
    /// </summary>
    /// <param name="network">The trained network.</param>
    /// <returns>The chat client.</returns>
    public static IChatClient AsChatClient(this Dln network) => new DlnChatClient(network);
}
