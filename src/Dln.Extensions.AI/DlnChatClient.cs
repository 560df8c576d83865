using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>
/// A trained network (<see cref="Dln"/>) served as a Microsoft.Extensions.AI <see cref="IChatClient"/>: the user's
/// message goes through every layer (hidden layers included) and the answer is the output layer's text. An application
/// that called a chat model with a hand-written prompt swaps it for the trained network, middleware (logging,
/// OpenTelemetry, caching) and all, without other changes. Made by <see cref="DlnChatClientExtensions.AsChatClient"/>.
/// </summary>
/// <remarks>
/// <para><b>Input.</b> The network reads one text: the text of the chat's last user message. The network's learned
/// prompts take the place of a hand-written prompt, so system messages, earlier turns and
/// <see cref="ChatOptions.Instructions"/> are not sent. An empty chat, one without a user message, or a last user
/// message without text (an image alone) throws <see cref="ArgumentException"/>; content other than text in that
/// message throws <see cref="NotSupportedException"/>.</para>
/// <para><b>Options.</b> Decoding (temperature, token limits, stop sequences, class scoring) is part of what was trained
/// and saved with the network, so <see cref="ChatOptions"/>' sampling settings do not apply and are not used.
/// <see cref="ChatOptions.Tools"/> and a JSON <see cref="ChatOptions.ResponseFormat"/> (and so the typed
/// <c>GetResponseAsync&lt;T&gt;</c>) throw <see cref="NotSupportedException"/>: the network answers with the text it
/// was trained to write.</para>
/// <para><b>Response.</b> One assistant message with the output layer's text. For a classification network,
/// <see cref="ChatResponse.AdditionalProperties"/> hold the predicted class's label under <see cref="ClassPropertyName"/>
/// (absent when a generated answer matched no class) and, when the classes were scored by log-probabilities, its
/// probability under <see cref="ClassProbabilityPropertyName"/>. <see cref="ChatResponse.Usage"/> sums the tokens of
/// every call the network made for the answer, and counts those calls in
/// <see cref="UsageDetails.AdditionalCounts"/> under <see cref="CallsCountName"/>. <see cref="ChatResponse.RawRepresentation"/>
/// is the <see cref="DlnResult"/> (hidden texts included). Streaming returns the final answer as one update: a network's
/// answer exists only once its last layer has run.</para>
/// <para><b>Snapshot.</b> The client serves the prompts and demonstrations the network had when the client was made;
/// later changes to the network (another training run) do not reach it. It is thread-safe, calls its layers' models
/// (decorators included) and never disposes them.</para>
/// </remarks>
public sealed class DlnChatClient : IChatClient
{
    /// <summary>The key of <see cref="ChatResponse.AdditionalProperties"/> that holds the predicted class's label.</summary>
    public const string ClassPropertyName = "dln.class";

    /// <summary>The key of <see cref="ChatResponse.AdditionalProperties"/> that holds the predicted class's probability (a <see cref="double"/>).</summary>
    public const string ClassProbabilityPropertyName = "dln.classProbability";

    /// <summary>The key of <see cref="UsageDetails.AdditionalCounts"/> that counts the language model calls the network made for the answer.</summary>
    public const string CallsCountName = "dln.calls";

    private readonly AsyncLocal<StrongBox<long>?> _calls = new();
    private readonly Dln _network;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Serves a snapshot of <paramref name="network"/>.</summary>
    /// <param name="network">The trained network.</param>
    public DlnChatClient(Dln network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network.WithModels(model => new CallCounter(model, _calls));
        var output = network.OutputLayer.Model.Metadata;
        var endpoint = Uri.TryCreate(output.Endpoint, UriKind.Absolute, out var uri) ? uri : null;
        _metadata = new ChatClientMetadata("dln", endpoint, output.ModelId);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The chat has no user message with text.</exception>
    /// <exception cref="NotSupportedException">The last user message holds content other than text, or tools or a JSON response format are asked for.</exception>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        CheckOptions(options);
        var input = ReadInput(messages);
        var calls = new StrongBox<long>();
        _calls.Value = calls;
        var result = await _network.InvokeAsync(input, prompts: null, new CallPurpose(CallRole.Inference), cancellationToken).ConfigureAwait(false);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, result.Output) { MessageId = Guid.NewGuid().ToString("N") })
        {
            ResponseId = Guid.NewGuid().ToString("N"),
            ModelId = _metadata.DefaultModelId,
            FinishReason = ChatFinishReason.Stop,
            CreatedAt = DateTimeOffset.UtcNow,
            Usage = new UsageDetails
            {
                InputTokenCount = result.Usage.InputTokens,
                OutputTokenCount = result.Usage.OutputTokens,
                TotalTokenCount = result.Usage.TotalTokens,
                AdditionalCounts = new() { [CallsCountName] = Interlocked.Read(ref calls.Value) },
            },
            RawRepresentation = result,
        };
        if (result.PredictedClass is { } predicted)
        {
            response.AdditionalProperties = new() { [ClassPropertyName] = predicted.Label };
            if (result.Distribution is { } distribution)
            {
                response.AdditionalProperties[ClassProbabilityPropertyName] = distribution.Probabilities[distribution.IndexOf(predicted.Label)];
            }
        }

        return response;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The chat has no user message with text.</exception>
    /// <exception cref="NotSupportedException">The last user message holds content other than text, or tools or a JSON response format are asked for.</exception>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <summary>Returns <see cref="ChatClientMetadata"/> (provider <c>dln</c>, the output layer's model), the served <see cref="Dln"/> snapshot, or this client.</summary>
    /// <param name="serviceType">The type requested.</param>
    /// <param name="serviceKey">An optional key; none is served.</param>
    /// <returns>The service or <see langword="null"/>.</returns>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(Dln) ? _network
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Does nothing: the network's models belong to the caller.</summary>
    public void Dispose()
    {
    }

    private static void CheckOptions(ChatOptions? options)
    {
        if (options?.Tools is { Count: > 0 })
        {
            throw new NotSupportedException("A trained Dln network answers with text; ChatOptions.Tools (function calling) is not supported.");
        }

        if (options?.ResponseFormat is ChatResponseFormatJson)
        {
            throw new NotSupportedException(
                "ChatOptions.ResponseFormat asks for JSON (as the typed GetResponseAsync<T> does), but a trained Dln network answers with the text it was " +
                "trained to write (for classes, the class's spelling; the label is in AdditionalProperties[\"" + ClassPropertyName + "\"]). Leave ResponseFormat unset.");
        }
    }

    private static string ReadInput(IEnumerable<ChatMessage> messages)
    {
        var list = messages.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("The chat is empty: a trained network answers the text of the last user message; give one.", nameof(messages));
        }

        var index = list.FindLastIndex(m => m?.Role == ChatRole.User);
        if (index < 0)
        {
            throw new ArgumentException(
                $"The chat has no user message ({list.Count} message(s), roles {string.Join(", ", list.Select(m => m?.Role.Value ?? "null"))}): " +
                "a trained network answers the text of the last user message.", nameof(messages));
        }

        var message = list[index];
        if (message.Contents.FirstOrDefault(c => c is not TextContent) is { } other)
        {
            throw new NotSupportedException($"The last user message (message {index}) holds {other.GetType().Name}; a trained network reads text only.");
        }

        return message.Text.Trim().Length > 0
            ? message.Text
            : throw new ArgumentException($"The last user message (message {index}) has no text; a trained network answers a text input.", nameof(messages));
    }

    /// <summary>Counts the calls of one answer (the async flow of one <see cref="GetResponseAsync"/>).</summary>
    private sealed class CallCounter(ILanguageModel inner, AsyncLocal<StrongBox<long>?> calls) : DelegatingLanguageModel(inner)
    {
        protected override Task<TResponse> InvokeAsync<TResponse>(
            LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
        {
            if (calls.Value is { } box)
            {
                Interlocked.Increment(ref box.Value);
            }

            return next(request, cancellationToken);
        }

        // The models are the caller's: the snapshot's decorators must not dispose them.
        protected override void Dispose(bool disposing)
        {
        }
    }
}
