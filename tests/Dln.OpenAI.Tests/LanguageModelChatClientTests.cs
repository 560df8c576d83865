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

    [Fact]
    public async Task Sampling_without_a_seed_draws_a_fresh_seed_per_call_and_returns_it()
    {
        var seeds = new List<long?>();
        using var model = new WordLevelTestModel(r =>
        {
            lock (seeds)
            {
                seeds.Add(r.Seed);
            }

            return $" sample {r.Seed}";
        });
        using var client = model.AsChatClient();

        var responses = new List<ChatResponse>();
        for (var i = 0; i < 5; i++)
        {
            responses.Add(await client.GetResponseAsync("Tell a story.", new ChatOptions { Temperature = 1.5f }));
        }

        Assert.All(seeds, s => Assert.NotNull(s));
        Assert.Equal(5, seeds.Distinct().Count());
        Assert.Equal(seeds.Cast<object?>(), responses.Select(r => r.AdditionalProperties![LanguageModelChatClient.SeedPropertyName]));
        Assert.Equal(5, responses.Select(r => r.Text).Distinct().Count());

        // The seed handed back repeats the answer; a given seed and greedy decoding are left as they are.
        var again = await client.GetResponseAsync("Tell a story.", new ChatOptions { Temperature = 1.5f, Seed = (long)responses[0].AdditionalProperties![LanguageModelChatClient.SeedPropertyName]! });
        Assert.Equal(responses[0].Text, again.Text);
        var greedy = await client.GetResponseAsync("Tell a story.");
        Assert.Null(seeds[^1]);
        Assert.Null(greedy.AdditionalProperties?.GetValueOrDefault(LanguageModelChatClient.SeedPropertyName));
    }

    [Fact]
    public async Task Chats_without_text_are_refused_before_the_model_is_called()
    {
        var calls = 0;
        using var model = new WordLevelTestModel(_ =>
        {
            Interlocked.Increment(ref calls);
            return "x";
        });
        using var client = model.AsChatClient();
        var image = new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png")]);
        var textAndImage = new ChatMessage(ChatRole.User, [new TextContent("What is this?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]);

        Assert.Contains("empty", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([]))).Message);
        Assert.Contains("no text", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "")]))).Message);
        var imageOnly = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync([image]));
        Assert.Contains("Message 0", imageOnly.Message);
        Assert.Contains("DataContent", imageOnly.Message);
        await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync([textAndImage]));
        await Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([image]))
            {
                _ = update;
            }
        });
        Assert.Equal(0, calls);

        // Instructions alone are a prompt.
        await client.GetResponseAsync([new ChatMessage(ChatRole.System, "Say hello.")]);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Options_it_cannot_honour_are_refused_by_name_and_typed_responses_too()
    {
        using var model = new WordLevelTestModel(_ => "{\"yes\": true}");
        using var client = model.AsChatClient();

        Assert.Contains("ChatOptions.TopK", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync("x", new ChatOptions { TopK = 40 }))).Message);
        Assert.Contains("ChatOptions.FrequencyPenalty", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync("x", new ChatOptions { FrequencyPenalty = 0.5f }))).Message);
        Assert.Contains("ChatOptions.PresencePenalty", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync("x", new ChatOptions { PresencePenalty = 0.5f }))).Message);
        Assert.Contains("ChatOptions.ResponseFormat", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync("x", new ChatOptions { ResponseFormat = ChatResponseFormat.Json }))).Message);
        Assert.Contains("GetResponseAsync<T>", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync<Verdict>("Is it?"))).Message);
        Assert.Contains("ResponseFormat", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync<Verdict>("Is it?", useJsonSchemaResponseFormat: false))).Message);

        // Plain text is what it does.
        Assert.Equal("{\"yes\": true}", (await client.GetResponseAsync("x", new ChatOptions { ResponseFormat = ChatResponseFormat.Text })).Text);
    }

    /// <summary>A typed answer an application might ask for.</summary>
    public sealed record Verdict(bool Yes);
}
