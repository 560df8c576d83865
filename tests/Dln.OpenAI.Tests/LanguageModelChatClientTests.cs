using DeepLanguageNetworks.Extensions.AI;
using Microsoft.Extensions.AI;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>A Dln language model as a Microsoft.Extensions.AI chat client.</summary>
public sealed class LanguageModelChatClientTests
{
    [Fact]
    public async Task A_chat_is_flattened_into_one_prompt_and_the_options_are_mapped()
    {
        GenerationRequest? seen = null;
        using var model = new WordLevelTestModel(r =>
        {
            seen = r;
            return " done";
        });
        using var client = model.AsChatClient();

        var response = await client.GetResponseAsync(
            [
                new ChatMessage(ChatRole.System, "Be brief."),
                new ChatMessage(ChatRole.User, "Question one?"),
                new ChatMessage(ChatRole.Assistant, "Answer one."),
                new ChatMessage(ChatRole.User, "Question two?"),
            ],
            new ChatOptions { Instructions = "Answer in English.", Temperature = 0.4f, TopP = 0.9f, MaxOutputTokens = 12, StopSequences = ["\n"], Seed = 3 });

        Assert.NotNull(seen);
        Assert.Equal("Answer in English.\n\nBe brief.\n\nQuestion one?\n\nAnswer one.\n\nQuestion two?", seen.Prompt);
        Assert.Equal(0.4, seen.Temperature, 1e-6);
        Assert.Equal(0.9, seen.TopP!.Value, 1e-6);
        Assert.Equal(12, seen.MaxTokens);
        Assert.Equal(["\n"], seen.StopSequences);
        Assert.Equal(3, seen.Seed);
        Assert.Equal(" done", response.Text);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("word-level", response.ModelId);
        Assert.Equal(1, response.Usage!.OutputTokenCount);
        Assert.IsType<GenerationResponse>(response.RawRepresentation);
    }

    [Fact]
    public async Task A_single_user_message_becomes_exactly_the_prompt_with_greedy_defaults()
    {
        GenerationRequest? seen = null;
        using var model = new WordLevelTestModel(r =>
        {
            seen = r;
            return "x";
        });

        await model.AsChatClient().GetResponseAsync("Exactly this.");

        Assert.Equal("Exactly this.", seen!.Prompt);
        Assert.Equal(0, seen.Temperature);
        Assert.Equal(256, seen.MaxTokens);
    }

    [Fact]
    public async Task Streaming_returns_the_whole_answer()
    {
        using var model = new WordLevelTestModel(_ => " streamed text");

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in model.AsChatClient().GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        Assert.Equal(" streamed text", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task Tools_are_refused_and_metadata_describes_the_model()
    {
        using var model = new WordLevelTestModel();
        using var client = model.AsChatClient();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 1, "one")] };

        await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync("x", options));
        var metadata = client.GetService<ChatClientMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal("test", metadata.ProviderName);
        Assert.Equal("word-level", metadata.DefaultModelId);
        Assert.Same(model, client.GetService<ILanguageModel>());
    }
}
