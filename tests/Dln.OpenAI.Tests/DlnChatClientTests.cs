using DeepLanguageNetworks.Extensions.AI;
using DeepLanguageNetworks.Tests.Scripted;
using Microsoft.Extensions.AI;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// A trained network served as an M.E.AI chat client (<c>network.AsChatClient()</c>), tested through
/// <see cref="ChatClientBuilder"/> with M.E.AI's own logging and OpenTelemetry middleware in front, as an application
/// would use it.
/// </summary>
public sealed class DlnChatClientTests : IDisposable
{
    private static readonly OutputSpace YesNo = OutputSpace.FromClasses("yes|Yes", "no|No");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dln-chat-client-" + Guid.NewGuid().ToString("N"));

    public DlnChatClientTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [Fact]
    public async Task A_trained_saved_and_reloaded_network_answers_through_the_MEAI_pipeline_like_the_network_itself()
    {
        var (train, dev, test) = NumberParityTask.Splits();
        var path = Path.Combine(_folder, "parity.dln.json");
        using (var trainingModel = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities))
        {
            var trained = Dln.CreateOneLayer(trainingModel, "Answer the question.", YesNo);
            await new VariationalTrainer(trainingModel, VariationalTrainerOptions.Dln1 with { Iterations = 4, BatchSize = 10, PromptCandidates = 6 }).TrainAsync(trained, train, dev);
            await trained.SaveAsync(path);
        }

        // As another process would: a new model, the network loaded from its file, served behind M.E.AI's middleware.
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var counting = new CountingModel(world);
        var network = await Dln.LoadAsync(path, counting);
        var logger = new CapturingLogger();
        using var loggers = new CapturingLoggerFactory(logger);
        using var spans = new SpanRecorder();
        using IChatClient chat = network.AsChatClient().AsBuilder().UseLogging(loggers).UseOpenTelemetry().Build();

        foreach (var example in test.Take(10))
        {
            var expected = await network.InvokeAsync(example.Input);
            var before = counting.Calls;

            // A system message of the application's old prompt is there; the learned prompt replaces it.
            var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.System, "You are a helpful assistant."), new ChatMessage(ChatRole.User, example.Input)]);

            Assert.Equal(expected.Output, response.Text);
            Assert.Equal(expected.PredictedClass!.Label, response.AdditionalProperties![DlnChatClient.ClassPropertyName]);
            var probability = Assert.IsType<double>(response.AdditionalProperties[DlnChatClient.ClassProbabilityPropertyName]);
            Assert.Equal(expected.Distribution!.Probabilities[expected.Distribution.PredictedIndex], probability, 12);
            Assert.InRange(probability, 0.5, 1.0);
            Assert.Equal(expected.Usage.InputTokens, response.Usage!.InputTokenCount);
            Assert.Equal(expected.Usage.OutputTokens, response.Usage.OutputTokenCount);
            Assert.Equal(counting.Calls - before, response.Usage.AdditionalCounts![DlnChatClient.CallsCountName]);
            Assert.Equal(1, response.Usage.AdditionalCounts[DlnChatClient.CallsCountName]);
            Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
            Assert.Equal("world", response.ModelId);
            Assert.IsType<DlnResult>(response.RawRepresentation);
        }

        Assert.True((await network.EvaluateAsync(test)).Accuracy >= 0.9);
        Assert.Contains(logger.Entries, e => e.Text.Contains("GetResponseAsync", StringComparison.Ordinal));
        Assert.Contains(spans.Spans, s => s.GetTagItem("gen_ai.usage.input_tokens") is not null && (string?)s.GetTagItem("gen_ai.response.model") == "world");
        Assert.Equal("dln", chat.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.NotNull(chat.GetService<Dln>());
    }

    [Fact]
    public async Task A_two_layer_network_runs_its_hidden_layer_and_the_usage_sums_every_call()
    {
        using var world = new ScriptedWorldModel(DigitSumTask.TwoStep);
        var counting = new CountingModel(world);
        var network = Dln.CreateTwoLayer(counting, "Work out the digit sum step by step.", "Answer the question.", YesNo);
        var input = DigitSumTask.Splits(perClassTrain: 2, perClassDev: 1, perClassTest: 1).Test[0].Input;
        var expected = await network.InvokeAsync(input);
        using var chat = network.AsChatClient().AsBuilder().UseOpenTelemetry().Build();
        var before = counting.Calls;

        var response = await chat.GetResponseAsync(input);

        var result = Assert.IsType<DlnResult>(response.RawRepresentation);
        Assert.Equal(expected.HiddenOutputs, result.HiddenOutputs);
        Assert.Single(result.HiddenOutputs);
        Assert.Equal(expected.Output, response.Text);
        Assert.Equal(counting.Calls - before, response.Usage!.AdditionalCounts![DlnChatClient.CallsCountName]);
        Assert.True(response.Usage.AdditionalCounts[DlnChatClient.CallsCountName] >= 2);
        Assert.Equal(expected.Usage.TotalTokens, response.Usage.TotalTokenCount);
        Assert.True(response.Usage.TotalTokenCount > 0);
    }

    [Fact]
    public async Task Streaming_returns_the_final_answer_as_one_update_and_concurrent_calls_count_their_own_calls()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var network = Dln.CreateOneLayer(world, $"Answer {NumberParityTask.TrueRule.KeyPhrase}.", YesNo);
        using var chat = network.AsChatClient().AsBuilder().UseLogging(new CapturingLoggerFactory(new CapturingLogger())).Build();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync("Number: 7"))
        {
            updates.Add(update);
        }

        Assert.Equal((await network.InvokeAsync("Number: 7")).Output, string.Concat(updates.Select(u => u.Text)));
        Assert.Single(updates, u => u.Text.Length > 0);
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => chat.GetResponseAsync($"Number: {i}")));
        Assert.All(responses, r => Assert.Equal(1, r.Usage!.AdditionalCounts![DlnChatClient.CallsCountName]));
    }

    [Fact]
    public async Task The_client_serves_the_prompts_the_network_had_when_it_was_made()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var network = Dln.CreateOneLayer(world, $"Answer {NumberParityTask.TrueRule.KeyPhrase}.", YesNo);
        using var chat = network.AsChatClient();
        var served = await chat.GetResponseAsync("Number: 7");

        network.SetPrompts(["Answer the question."]);

        Assert.Equal(served.Text, (await chat.GetResponseAsync("Number: 7")).Text);
        Assert.Equal($"Answer {NumberParityTask.TrueRule.KeyPhrase}.", chat.GetService<Dln>()!.OutputLayer.Prompt);
    }

    [Fact]
    public async Task Chats_without_a_text_input_and_options_it_cannot_honour_are_refused_before_any_call()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var counting = new CountingModel(world);
        using var chat = Dln.CreateOneLayer(counting, "Answer the question.", YesNo).AsChatClient().AsBuilder().UseLogging(new CapturingLoggerFactory(new CapturingLogger())).Build();
        var image = new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png")]);

        Assert.Contains("empty", (await Assert.ThrowsAsync<ArgumentException>(() => chat.GetResponseAsync([]))).Message);
        Assert.Contains("no user message", (await Assert.ThrowsAsync<ArgumentException>(() => chat.GetResponseAsync([new ChatMessage(ChatRole.System, "Be brief.")]))).Message);
        Assert.Contains("no text", (await Assert.ThrowsAsync<ArgumentException>(() => chat.GetResponseAsync([new ChatMessage(ChatRole.User, "  ")]))).Message);
        Assert.Contains("DataContent", (await Assert.ThrowsAsync<NotSupportedException>(() => chat.GetResponseAsync([image]))).Message);
        Assert.Contains("ChatOptions.Tools", (await Assert.ThrowsAsync<NotSupportedException>(() =>
            chat.GetResponseAsync("Number: 3", new ChatOptions { Tools = [AIFunctionFactory.Create(() => 1, "one")] }))).Message);
        Assert.Contains("ResponseFormat", (await Assert.ThrowsAsync<NotSupportedException>(() => chat.GetResponseAsync<Verdict>("Number: 3"))).Message);
        Assert.Equal(0, counting.Calls);
    }

    /// <summary>A typed answer an application might ask for.</summary>
    public sealed record Verdict(bool Yes);

    /// <summary>Counts the calls that reach the model.</summary>
    private sealed class CountingModel(ILanguageModel inner) : DelegatingLanguageModel(inner)
    {
        private long _calls;

        public long Calls => Interlocked.Read(ref _calls);

        protected override Task<TResponse> InvokeAsync<TResponse>(
            LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return next(request, cancellationToken);
        }
    }
}
