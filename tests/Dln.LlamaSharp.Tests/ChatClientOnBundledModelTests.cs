using DeepLanguageNetworks.Extensions.AI;
using Microsoft.Extensions.AI;

namespace DeepLanguageNetworks.LlamaSharp.Tests;

/// <summary>
/// The bundled model as a Microsoft.Extensions.AI chat client (<c>model.AsChatClient()</c>), tried from plain M.E.AI
/// code: sampling varies without a seed, streaming hands out tokens as they are generated, and what cannot be honoured
/// is refused before anything is generated.
/// </summary>
public sealed class ChatClientOnBundledModelTests(BundledModelFixture fixture) : IClassFixture<BundledModelFixture>
{
    private const string Prompt = "Once upon a time, there was a little girl named Lily.";

    [Fact]
    public async Task Temperature_without_a_seed_varies_from_call_to_call_and_the_returned_seed_repeats_an_answer()
    {
        using var chat = fixture.Model.AsChatClient();
        var options = new ChatOptions { Temperature = 1.5f, MaxOutputTokens = 24 };

        var responses = new List<ChatResponse>();
        for (var i = 0; i < 4; i++)
        {
            responses.Add(await chat.GetResponseAsync(Prompt, options));
        }

        Assert.True(responses.Select(r => r.Text).Distinct().Count() >= 3, "samples without a seed should differ: " + string.Join(" | ", responses.Select(r => r.Text)));
        var seed = Assert.IsType<long>(responses[0].AdditionalProperties![LanguageModelChatClient.SeedPropertyName]);
        var repeated = await chat.GetResponseAsync(Prompt, new ChatOptions { Temperature = 1.5f, MaxOutputTokens = 24, Seed = seed });
        Assert.Equal(responses[0].Text, repeated.Text);

        // Greedy decoding stays greedy.
        var greedy = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => chat.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 24 })));
        Assert.Equal(greedy[0].Text, greedy[1].Text);
    }

    [Fact]
    public async Task Streaming_hands_out_the_text_token_by_token_and_ends_with_the_same_answer_and_usage()
    {
        using var chat = fixture.Model.AsChatClient();
        var options = new ChatOptions { MaxOutputTokens = 30 };
        var whole = await chat.GetResponseAsync(Prompt, options);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync(Prompt, options))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count(u => u.Text.Length > 0) >= 10, $"{updates.Count} updates: expected about one per token");
        Assert.Equal(whole.Text, string.Concat(updates.Select(u => u.Text)));
        var streamed = updates.ToChatResponse();
        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(whole.FinishReason, streamed.FinishReason);
        Assert.Equal(whole.Usage!.OutputTokenCount, streamed.Usage!.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount, streamed.Usage.InputTokenCount);
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
    }

    [Fact]
    public async Task A_streamed_generation_holds_back_text_that_could_start_a_stop_sequence()
    {
        var request = new GenerationRequest(Prompt) { MaxTokens = 60 };
        var free = await fixture.Model.GenerateAsync(request);

        // A stop sequence the greedy text runs into: the stream must end exactly where the plain generation does.
        var stop = string.Join(' ', free.Text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[3..5]);
        var stopped = request with { StopSequences = [stop] };
        var expected = await fixture.Model.GenerateAsync(stopped);
        var pieces = new List<GenerationUpdate>();
        await foreach (var piece in fixture.Model.GenerateStreamingAsync(stopped))
        {
            pieces.Add(piece);
        }

        Assert.Equal(FinishReason.Stop, expected.FinishReason);
        Assert.DoesNotContain(stop, expected.Text, StringComparison.Ordinal);
        Assert.Equal(expected.Text, string.Concat(pieces.Select(p => p.Text)));
        Assert.Equal(expected, pieces[^1].Response);
        Assert.All(pieces[..^1], p => Assert.Null(p.Response));
        Assert.Same(fixture.Model, fixture.Model.AsBuilder().UseUsageTracking(new UsageTracker()).Build().GetService<ILanguageModelStreamingGenerator>());
    }

    [Fact]
    public async Task A_reader_that_stops_early_leaves_the_model_usable()
    {
        await foreach (var piece in fixture.Model.GenerateStreamingAsync(new GenerationRequest(Prompt) { MaxTokens = 200 }))
        {
            Assert.NotEmpty(piece.Text);
            break;
        }

        // The abandoned generation is stopped (or, on this fast model, has usually finished already); the next one runs.
        var next = await fixture.Model.GenerateAsync(new GenerationRequest(Prompt) { MaxTokens = 4 });
        Assert.Equal(4, next.Usage.OutputTokens);
    }

    [Fact]
    public async Task Empty_or_image_only_chats_and_options_it_cannot_honour_are_refused_before_generating()
    {
        using var chat = fixture.Model.AsChatClient();
        var before = fixture.Model.GetStatistics().GenerationCalls;

        await Assert.ThrowsAsync<ArgumentException>(() => chat.GetResponseAsync([]));
        await Assert.ThrowsAsync<NotSupportedException>(() => chat.GetResponseAsync([new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png")])]));
        Assert.Contains("ChatOptions.TopK", (await Assert.ThrowsAsync<NotSupportedException>(() => chat.GetResponseAsync(Prompt, new ChatOptions { TopK = 40 }))).Message);
        Assert.Contains("ChatOptions.ResponseFormat", (await Assert.ThrowsAsync<NotSupportedException>(() => chat.GetResponseAsync(Prompt, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }))).Message);
        Assert.Contains("GetResponseAsync<T>", (await Assert.ThrowsAsync<NotSupportedException>(() => chat.GetResponseAsync<Story>(Prompt))).Message);
        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var update in chat.GetStreamingResponseAsync([]))
            {
                _ = update;
            }
        });

        Assert.Equal(before, fixture.Model.GetStatistics().GenerationCalls);
    }

    /// <summary>A typed answer an application might ask for.</summary>
    public sealed record Story(string Title);
}
