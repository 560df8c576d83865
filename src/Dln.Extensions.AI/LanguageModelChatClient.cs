using System.Globalization;
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
/// user message becomes exactly that message's text, which is how Dln's own prompts travel).</description></item>
/// </list>
/// <para>What cannot be honoured is refused rather than ignored: an empty chat, or one with no text at all, throws
/// <see cref="ArgumentException"/>; content other than text (an image, a function call) throws
/// <see cref="NotSupportedException"/> naming the message; so do <see cref="ChatOptions.Tools"/>, a JSON
/// <see cref="ChatOptions.ResponseFormat"/> (and so the typed <c>GetResponseAsync&lt;T&gt;</c>, which asks for JSON),
/// <see cref="ChatOptions.TopK"/>, <see cref="ChatOptions.FrequencyPenalty"/> and <see cref="ChatOptions.PresencePenalty"/>,
/// each naming the option.</para>
/// <para>Options mapped: <see cref="ChatOptions.Temperature"/> (default 0, greedy), <see cref="ChatOptions.TopP"/>,
/// <see cref="ChatOptions.MaxOutputTokens"/> (default 256), <see cref="ChatOptions.StopSequences"/>,
/// <see cref="ChatOptions.Seed"/>. Sampling (temperature above 0) without a seed draws a fresh seed for every call, so
/// that calls vary as they do with hosted models; the seed used is returned in the response's
/// <see cref="ChatResponse.AdditionalProperties"/> under <see cref="SeedPropertyName"/>, and passing it back as
/// <see cref="ChatOptions.Seed"/> repeats the answer on a backend that honours seeds. <see cref="ChatOptions.ModelId"/>
/// is not used (the model is the one wrapped).</para>
/// <para>Streaming: when the model offers an <see cref="ILanguageModelStreamingGenerator"/> (through
/// <see cref="ILanguageModel.GetService"/>; the local LLamaSharp backend does), text is handed out as it is generated,
/// straight from that backend (decorators of the model's pipeline, a cache for one, are passed by); otherwise the
/// whole answer comes as one update once it is generated. The last update carries the finish reason and the usage.</para>
/// <para><see cref="ChatResponse.RawRepresentation"/> is the <see cref="GenerationResponse"/>. <see cref="Dispose"/>
/// does not dispose the model, which stays the caller's.</para>
/// </remarks>
public sealed class LanguageModelChatClient : IChatClient
{
    /// <summary>The key of <see cref="ChatResponse.AdditionalProperties"/> that holds the seed a sampled answer was drawn with.</summary>
    public const string SeedPropertyName = "dln.seed";

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
    /// <exception cref="ArgumentException">The chat is empty or holds no text.</exception>
    /// <exception cref="NotSupportedException">A message holds content other than text, or an option cannot be honoured (the message names it).</exception>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return await RespondAsync(ToRequest(messages, options), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The chat is empty or holds no text.</exception>
    /// <exception cref="NotSupportedException">A message holds content other than text, or an option cannot be honoured.</exception>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = ToRequest(messages, options);
        if (InnerModel.GetService(typeof(ILanguageModelStreamingGenerator)) is not ILanguageModelStreamingGenerator streaming)
        {
            var whole = await RespondAsync(request, cancellationToken).ConfigureAwait(false);
            foreach (var update in whole.ToChatResponseUpdates())
            {
                yield return update;
            }

            yield break;
        }

        await foreach (var update in StreamAsync(streaming, request, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private async Task<ChatResponse> RespondAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var response = await InnerModel.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
        var chat = new ChatResponse(new ChatMessage(ChatRole.Assistant, response.Text) { MessageId = NewId() })
        {
            ResponseId = NewId(),
            ModelId = InnerModel.Metadata.ModelId,
            FinishReason = MapFinishReason(response.FinishReason),
            Usage = ToUsage(response.Usage),
            CreatedAt = DateTimeOffset.UtcNow,
            RawRepresentation = response,
        };
        AddSeed(chat.AdditionalProperties ??= [], request);
        return chat;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(ILanguageModelStreamingGenerator streaming, GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var responseId = NewId();
        var messageId = NewId();
        var modelId = InnerModel.Metadata.ModelId;
        await foreach (var piece in streaming.GenerateStreamingAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (piece.Response is { } response)
            {
                var last = new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(ToUsage(response.Usage))])
                {
                    ResponseId = responseId,
                    MessageId = messageId,
                    ModelId = modelId,
                    FinishReason = MapFinishReason(response.FinishReason),
                    CreatedAt = DateTimeOffset.UtcNow,
                    RawRepresentation = response,
                };
                AddSeed(last.AdditionalProperties ??= [], request);
                if (piece.Text.Length > 0)
                {
                    last.Contents.Insert(0, new TextContent(piece.Text));
                }

                yield return last;
                continue;
            }

            if (piece.Text.Length > 0)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, piece.Text)
                {
                    ResponseId = responseId,
                    MessageId = messageId,
                    ModelId = modelId,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
            }
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

    /// <summary>Flattens a chat into one prompt, as described in the class remarks (without checking it).</summary>
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
        CheckOptions(options);
        var list = messages.ToList();
        CheckMessages(list);
        var prompt = BuildPrompt(list, options?.Instructions);
        if (prompt.Trim().Length == 0)
        {
            throw new ArgumentException(
                "The chat holds no text to answer: every message (and ChatOptions.Instructions) is empty. A Dln language model generates after a text prompt; give a message with text.",
                nameof(messages));
        }

        var temperature = options?.Temperature ?? 0;

        // Sampling without a seed must vary from call to call, as it does with hosted models; the seed is drawn here
        // (and returned with the response) because a local backend given no seed would fall back to a fixed one.
        var seed = options?.Seed ?? (temperature > 0 ? Random.Shared.NextInt64() : null);
        return new GenerationRequest(prompt)
        {
            Temperature = temperature,
            TopP = options?.TopP,
            MaxTokens = options?.MaxOutputTokens ?? 256,
            StopSequences = options?.StopSequences is { Count: > 0 } stops ? [.. stops] : [],
            Seed = seed,
        };
    }

    private static void CheckOptions(ChatOptions? options)
    {
        if (options is null)
        {
            return;
        }

        if (options.Tools is { Count: > 0 })
        {
            throw new NotSupportedException("A Dln language model exposed as an IChatClient generates text only; ChatOptions.Tools (function calling) is not supported.");
        }

        if (options.ResponseFormat is ChatResponseFormatJson json)
        {
            throw new NotSupportedException(
                $"ChatOptions.ResponseFormat asks for JSON{(json.Schema is null ? string.Empty : " matching a schema")}, but a Dln language model exposed as an IChatClient " +
                "generates free text and cannot constrain it to JSON; this is also what the typed GetResponseAsync<T> asks for. Leave ResponseFormat unset " +
                "(or ChatResponseFormat.Text) and parse the text yourself.");
        }

        Refuse(options.TopK, nameof(ChatOptions.TopK), "top-k sampling");
        Refuse(options.FrequencyPenalty, nameof(ChatOptions.FrequencyPenalty), "frequency penalties");
        Refuse(options.PresencePenalty, nameof(ChatOptions.PresencePenalty), "presence penalties");
    }

    private static void Refuse<T>(T? value, string option, string what)
        where T : struct
    {
        if (value is not null)
        {
            throw new NotSupportedException(
                $"ChatOptions.{option} is set ({Convert.ToString(value.Value, CultureInfo.InvariantCulture)}), but Dln language models do not offer {what}; " +
                $"leave ChatOptions.{option} unset. Temperature, TopP, MaxOutputTokens, StopSequences and Seed are honoured.");
        }
    }

    private static void CheckMessages(List<ChatMessage> messages)
    {
        if (messages.Count == 0)
        {
            throw new ArgumentException("The chat is empty: a Dln language model generates after a text prompt; give at least one message with text.", nameof(messages));
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new ArgumentException($"Message {i} of the chat is null.", nameof(messages));
            if (message.Contents.FirstOrDefault(c => c is not TextContent) is { } other)
            {
                throw new NotSupportedException(
                    $"Message {i} of the chat ({message.Role}) holds {other.GetType().Name}; a Dln language model reads text only. " +
                    "Remove the non-text content, or describe it in text.");
            }
        }
    }

    private static void AddSeed(AdditionalPropertiesDictionary properties, GenerationRequest request)
    {
        if (request.Temperature > 0 && request.Seed is { } seed)
        {
            properties[SeedPropertyName] = seed;
        }
    }

    private static UsageDetails ToUsage(LanguageModelUsage usage) => new()
    {
        InputTokenCount = usage.InputTokens,
        OutputTokenCount = usage.OutputTokens,
        TotalTokenCount = usage.TotalTokens,
    };

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static ChatFinishReason? MapFinishReason(FinishReason reason) => reason switch
    {
        FinishReason.Stop => ChatFinishReason.Stop,
        FinishReason.Length => ChatFinishReason.Length,
        FinishReason.ContentFilter => ChatFinishReason.ContentFilter,
        _ => null,
    };
}
