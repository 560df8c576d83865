using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using ChatCompletion = OpenAI.Chat.ChatCompletion;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>
/// Microsoft.Extensions.AI middleware that keeps an OpenAI chat completion's token log-probabilities in the response's
/// serialisable <see cref="ChatResponse.AdditionalProperties"/>, so that they survive middleware that rebuilds
/// responses (Microsoft.Extensions.AI's distributed cache stores a response as JSON and drops its
/// <see cref="ChatResponse.RawRepresentation"/>, where the OpenAI client leaves them). Add it with
/// <see cref="LogProbabilityCaptureChatClientBuilderExtensions.UseLogProbabilityCapture"/>, below the cache.
/// </summary>
/// <remarks>
/// <para>Place it below (after, in the builder) every middleware that rebuilds responses, so that it sees the OpenAI
/// client's response before the response is cached:</para>
/// <code>
/// IChatClient pipeline = openAIChatClient.AsIChatClient().AsBuilder()
///     .UseLogging(loggerFactory)
///     .UseDistributedCache(cache)
///     .UseLogProbabilityCapture()     // below the cache
///     .Build();
/// ILanguageModel model = pipeline.AsLanguageModel();
/// </code>
/// <para><see cref="ChatClientLanguageModel"/> reads the log-probabilities from <see cref="ChatResponse.RawRepresentation"/>
/// when it is there and from <see cref="PropertyName"/> otherwise, and refuses, before its first log-probability request,
/// a pipeline with a Microsoft.Extensions.AI cache (<c>CachingChatClient</c>) that has no capture below it.</para>
/// <para>With the capture in the pipeline the adapter also names the log-probabilities it asks for in
/// <see cref="ChatOptions.AdditionalProperties"/> (key <see cref="PropertyName"/>): a cache above keys its entries on
/// it, so an answer stored without log-probabilities never answers a request for them. The capture removes that entry
/// before the request goes on, so the inner client never sees it.</para>
/// <para>The value stored is a JSON array with one object per generated token:
/// <c>{"token": " Yes", "logprob": -0.1, "top": [{"token": " Yes", "logprob": -0.1}, ...]}</c> (a
/// <see cref="System.Text.Json.JsonElement"/>). Streaming responses pass through unchanged.</para>
/// </remarks>
public sealed class LogProbabilityCapturingChatClient : DelegatingChatClient
{
    /// <summary>The key of the log-probabilities in <see cref="ChatResponse.AdditionalProperties"/> (and of the request's marker in <see cref="ChatOptions.AdditionalProperties"/>).</summary>
    public const string PropertyName = "dln.logprobs";

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client below: OpenAI's chat client, or middleware above it that keeps <see cref="ChatResponse.RawRepresentation"/>.</param>
    public LogProbabilityCapturingChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var requested = options?.AdditionalProperties?.ContainsKey(PropertyName) == true;
        var response = await base.GetResponseAsync(messages, WithoutMarker(options), cancellationToken).ConfigureAwait(false);

        // Written also when empty if they were asked for: after a round trip through a cache, "no tokens" must still
        // read differently from "dropped".
        if (response.RawRepresentation is ChatCompletion completion && (requested || completion.ContentTokenLogProbabilities.Count > 0))
        {
            (response.AdditionalProperties ??= [])[PropertyName] = CapturedLogProbabilities.ToJson(completion.ContentTokenLogProbabilities);
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, WithoutMarker(options), cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private static ChatOptions? WithoutMarker(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.ContainsKey(PropertyName) != true)
        {
            return options;
        }

        var copy = options.Clone();
        copy.AdditionalProperties!.Remove(PropertyName);
        if (copy.AdditionalProperties.Count == 0)
        {
            copy.AdditionalProperties = null;
        }

        return copy;
    }
}
