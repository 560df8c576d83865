using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>
/// Exposes an <see cref="ILanguageModel"/> (for example a local LLamaSharp model, or a trained network's backend) as a
/// Microsoft.Extensions.AI <see cref="IChatClient"/>, so that code written against <c>IChatClient</c> can use it.
/// </summary>
/// <remarks>
/// <para>A language model takes one text, so the chat is flattened into one prompt:</para>
/// <list type="number">
/// <item><description><see cref="ChatOptions.Instructions"/>, then the text of every system message, then the text of
/// every other message, in order;</description></item>
/// <item><description>parts are joined with a blank line (<c>"\n\n"</c>); role names are not written (a chat with a single
/// user message becomes exactly that message's text, which is how Dln's own prompts travel);</description></item>
/// <item><description>non-text contents (images, function calls) are ignored.</description></item>
/// </list>
/// <para>Options mapped: <see cref="ChatOptions.Temperature"/> (default 0, greedy), <see cref="ChatOptions.TopP"/>,
/// <see cref="ChatOptions.MaxOutputTokens"/> (default 256), <see cref="ChatOptions.StopSequences"/>,
/// <see cref="ChatOptions.Seed"/>. Tools are not supported (<see cref="NotSupportedException"/>); other options are
/// ignored. Streaming returns the whole answer as one update. <see cref="ChatResponse.RawRepresentation"/> is the
/// <see cref="GenerationResponse"/>. <see cref="Dispose"/> does not dispose the model, which stays the caller's.</para>
/// </remarks>
public sealed class LanguageModelChatClient : IChatClient
{
    private readonly ChatClientMetadata _metadata;

    /// <summary>Wraps <paramref name="model"/>.</summary>
    /// <param name="model">The language model.</param>
    public LanguageModelChatClient(ILanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        InnerModel = model;
        var endpoint = Uri.TryCreate(model.Metadata.Endpoint, UriKind.Absolute, out var uri) ? uri : null;
        _metadata = new ChatClientMetadata(model.Metadata.ProviderName, endpoint, model.Metadata.ModelId);
    }

    /// <summary>The wrapped language model.</summary>
    public ILanguageModel InnerModel { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = ToRequest(messages, options);
        var response = await InnerModel.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, response.Text))
        {
            ModelId = InnerModel.Metadata.ModelId,
            FinishReason = MapFinishReason(response.FinishReason),
            Usage = new UsageDetails
            {
                InputTokenCount = response.Usage.InputTokens,
                OutputTokenCount = response.Usage.OutputTokens,
                TotalTokenCount = response.Usage.TotalTokens,
            },
            CreatedAt = DateTimeOffset.UtcNow,
            RawRepresentation = response,
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : InnerModel.GetService(serviceType);
    }

    /// <summary>Does nothing: the language model belongs to the caller.</summary>
    public void Dispose()
    {
    }

    /// <summary>Flattens a chat into one prompt, as described in the class remarks.</summary>
    /// <param name="messages">The chat.</param>
    /// <param name="instructions">Extra instructions from <see cref="ChatOptions.Instructions"/>.</param>
    /// <returns>The prompt.</returns>
    public static string BuildPrompt(IEnumerable<ChatMessage> messages, string? instructions = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.ToList();
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(instructions))
        {
            parts.Add(instructions);
        }

        parts.AddRange(list.Where(m => m.Role == ChatRole.System).Select(m => m.Text).Where(t => t.Length > 0));
        parts.AddRange(list.Where(m => m.Role != ChatRole.System).Select(m => m.Text).Where(t => t.Length > 0));
        var prompt = new StringBuilder();
        foreach (var part in parts)
        {
            if (prompt.Length > 0)
            {
                prompt.Append("\n\n");
            }

            prompt.Append(part);
        }

        return prompt.ToString();
    }

    private static GenerationRequest ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (options?.Tools is { Count: > 0 })
        {
            throw new NotSupportedException("A Dln language model exposed as an IChatClient generates text only; tools (function calling) are not supported.");
        }

        return new GenerationRequest(BuildPrompt(messages, options?.Instructions))
        {
            Temperature = options?.Temperature ?? 0,
            TopP = options?.TopP,
            MaxTokens = options?.MaxOutputTokens ?? 256,
            StopSequences = options?.StopSequences is { Count: > 0 } stops ? [.. stops] : [],
            Seed = options?.Seed,
        };
    }

    private static ChatFinishReason? MapFinishReason(FinishReason reason) => reason switch
    {
        FinishReason.Stop => ChatFinishReason.Stop,
        FinishReason.Length => ChatFinishReason.Length,
        FinishReason.ContentFilter => ChatFinishReason.ContentFilter,
        _ => null,
    };
}
