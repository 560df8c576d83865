using DeepLanguageNetworks.Extensions.AI;
using Microsoft.Extensions.AI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// Every hosted backend and adapter rejects a bad request with the core's own check
/// (<see cref="LanguageModelRequest.Validate"/>): the same exception type and the same message, before anything is sent.
/// </summary>
public sealed class ValidationMessageTests
{
    public static TheoryData<string> Backends => new() { "chat", "completions", "chat-client" };

    private static readonly LanguageModelRequest[] Invalid =
    [
        new GenerationRequest("x") { Temperature = 2.5 },
        new GenerationRequest("x") { TopP = 1.5 },
        new GenerationRequest("x") { MaxTokens = 0 },
        new GenerationRequest("x") { SampleIndex = -2 },
        new GenerationRequest(null!),
        new NextTokenRequest("x", TopK: 0),
        new NextTokenRequest(null!),
        new ContinuationRequest("a", null!),
    ];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Invalid_requests_get_the_cores_message_and_nothing_is_sent(string backend)
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("m", "x")));
        var chatClient = new RecordingChatClient((_, _) => new ChatResponse(new AIChatMessage(ChatRole.Assistant, "x")));
        using ILanguageModel model = backend switch
        {
            "chat" => OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat()),
            "completions" => new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions()),
            _ => new ChatClientLanguageModel(chatClient, new ChatClientLanguageModelOptions { LogProbabilities = true }),
        };

        foreach (var request in Invalid)
        {
            var expected = Assert.ThrowsAny<ArgumentException>(() => request.Validate(model.Metadata));
            var actual = await Assert.ThrowsAnyAsync<ArgumentException>(() => Send(model, request));

            Assert.Equal(expected.GetType(), actual.GetType());
            Assert.Equal(expected.Message, actual.Message);
            Assert.Equal("request", actual.ParamName);
        }

        Assert.Equal(0, server.RequestCount);
        Assert.Empty(chatClient.Calls);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("chat-client")]
    public async Task An_operation_the_backend_lacks_gets_the_cores_message(string backend)
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(OpenAIWire.ChatCompletion("m", "x")));
        var chatClient = new RecordingChatClient((_, _) => new ChatResponse(new AIChatMessage(ChatRole.Assistant, "x")));
        using ILanguageModel model = backend switch
        {
            "chat" => OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat() with { LogProbabilities = false }),
            _ => new ChatClientLanguageModel(chatClient),
        };
        LanguageModelRequest[] unsupported = [new GenerationRequest("x") { IncludeLogProbabilities = true }, new NextTokenRequest("x"), new ContinuationRequest("a", " b")];

        foreach (var request in unsupported)
        {
            var expected = Assert.Throws<NotSupportedException>(() => request.Validate(model.Metadata));
            var actual = await Assert.ThrowsAsync<NotSupportedException>(() => Send(model, request));

            Assert.Equal(expected.Message, actual.Message);
        }

        Assert.Equal(0, server.RequestCount);
        Assert.Empty(chatClient.Calls);
    }

    private static Task Send(ILanguageModel model, LanguageModelRequest request) => request switch
    {
        GenerationRequest g => model.GenerateAsync(g),
        NextTokenRequest n => model.GetNextTokenLogProbabilitiesAsync(n),
        ContinuationRequest c => model.ScoreContinuationAsync(c),
        _ => throw new ArgumentOutOfRangeException(nameof(request)),
    };
}
