using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace DeepLanguageNetworks.Tests.Fakes;

/// <summary>
/// A test double for a Microsoft.Extensions.AI <see cref="IChatClient"/>: answers every request from a function of its
/// prompt (the messages' text) and records the requests with their options. Thread-safe.
/// </summary>
internal sealed class ScriptedChatClient(Func<string, string> answer, string modelId = "scripted-chat") : IChatClient
{
    private readonly ConcurrentQueue<(string Prompt, ChatOptions? Options)> _requests = new();

    public IReadOnlyList<(string Prompt, ChatOptions? Options)> Requests => [.. _requests];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var prompt = string.Join("\n", messages.Select(m => m.Text));
        _requests.Enqueue((prompt, options));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(prompt))) { ModelId = modelId, FinishReason = ChatFinishReason.Stop });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", defaultModelId: modelId)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
