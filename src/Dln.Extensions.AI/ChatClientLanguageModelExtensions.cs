using Microsoft.Extensions.AI;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>Conversions between Microsoft.Extensions.AI chat clients and Dln language models.</summary>
public static class ChatClientLanguageModelExtensions
{
    /// <summary>
    /// Uses <paramref name="chatClient"/> as a Dln <see cref="ILanguageModel"/> (see <see cref="ChatClientLanguageModel"/>).
    /// A client made by <see cref="AsChatClient"/> gives back its model.
    /// </summary>
    /// <param name="chatClient">The chat client.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <returns>The language model.</returns>
    public static ILanguageModel AsLanguageModel(this IChatClient chatClient, ChatClientLanguageModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        return chatClient is LanguageModelChatClient adapter && options is null
            ? adapter.InnerModel
            : new ChatClientLanguageModel(chatClient, options);
    }

    /// <summary>
    /// Exposes <paramref name="model"/> as an <see cref="IChatClient"/> (see <see cref="LanguageModelChatClient"/> for how
    /// a chat becomes a prompt). A model made by <see cref="AsLanguageModel"/> gives back its chat client.
    /// </summary>
    /// <param name="model">The language model.</param>
    /// <returns>The chat client.</returns>
    public static IChatClient AsChatClient(this ILanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model is ChatClientLanguageModel adapter ? adapter.InnerClient : new LanguageModelChatClient(model);
    }
}
