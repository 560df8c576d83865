using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>An <see cref="IChatClient"/> test double that records what it is asked and answers from a function.</summary>
/// <param name="answer">Builds the response from the messages and options.</param>
public sealed class RecordingChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> answer) : IChatClient
{
    private readonly ConcurrentQueue<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> _calls = new();

    /// <summary>The calls received, in order.</summary>
    public IReadOnlyList<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls => [.. _calls];

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        _calls.Enqueue((list, options));
        return Task.FromResult(answer(list, options));
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("recording", new Uri("http://localhost:5000/api?token=secret"), "rec-model")
        : serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
