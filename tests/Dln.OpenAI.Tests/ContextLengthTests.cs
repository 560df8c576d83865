using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// An input longer than a hosted model's context window: the library does not cut it; the server rejects it (HTTP 400)
/// and the backend turns that into a <see cref="LanguageModelException"/> of kind
/// <see cref="LanguageModelErrorKind.ContextLengthExceeded"/> (the kind the local model reports too) that says so and is not retried.
/// In training it costs the example: the run goes on without it and counts it.
/// </summary>
public class ContextLengthTests
{
    private const string OpenAIMessage =
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.";

    [Fact]
    public async Task OpenAIs_context_length_error_becomes_a_clear_context_length_error_that_is_not_retried()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Error(400, OpenAIMessage, code: "context_length_exceeded", param: "messages"));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "gpt-test", "sk-test", TestOptions.Chat(maxRetries: 3));

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest(new string('x', 600_000))));

        Assert.Equal(1, server.RequestCount);
        Assert.Equal(LanguageModelErrorKind.ContextLengthExceeded, error.Kind);
        Assert.False(error.IsTransient);
        Assert.False(error.IsPermanent);
        Assert.Equal(LanguageModelOperation.NextTokenLogProbabilities, error.Operation);
        Assert.Equal("gpt-test", error.ModelId);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("context_length_exceeded", error.ProviderErrorCode);
        Assert.Equal(OpenAIMessage, error.ProviderMessage);
        Assert.Contains("maximum context length is 128000 tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("do not fit the model's context window", error.Message, StringComparison.Ordinal);
        Assert.Contains("model 'gpt-test'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_context_length_error_without_a_code_is_recognised_from_the_message()
    {
        // vLLM's shape: no error object, the code is the status.
        var body = "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}";
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(body, 400));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat());

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("long input"));

        Assert.Equal(LanguageModelErrorKind.ContextLengthExceeded, error.Kind);
        Assert.Contains("context window", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Other_bad_requests_do_not_mention_the_context_window()
    {
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Error(400, "Invalid value for 'temperature'.", code: "invalid_value", param: "temperature"));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "m", options: TestOptions.Chat());

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateTextAsync("x"));

        Assert.Equal(LanguageModelErrorKind.BadRequest, error.Kind);
        Assert.DoesNotContain("context window", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_training_a_hosted_400_for_one_long_input_costs_that_example_not_the_batch_or_the_run()
    {
        using var world = new ScriptedWorldModel(NumberParityTask.Instance, ScriptedWorldModel.ChatLikeCapabilities);
        var answer = LanguageModelServerHandler.Create(world);
        // The server's window is 2,000 characters of prompt: the long inputs (and the meta-prompts that quote them) overflow.
        await using var server = await FakeOpenAIServer.StartAsync(request =>
            request.Body.Length > 2_000 ? Task.FromResult(FakeResponse.Error(400, OpenAIMessage, code: "context_length_exceeded", param: "messages")) : answer(request));
        using var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "gpt-test", "sk-test", TestOptions.Chat());
        var (train, dev, _) = NumberParityTask.Splits();
        var filler = string.Join(' ', Enumerable.Repeat("filler", 400));
        train = [.. train.Select((e, i) => i % 8 == 3 ? e with { Input = e.Input + " " + filler } : e)];
        dev = [.. dev.Select((e, i) => i == 0 ? e with { Input = e.Input + " " + filler } : e)];
        var options = VariationalTrainerOptions.Dln1 with { Iterations = 4, BatchSize = 20, PromptCandidates = 4, SkipUpdateWhenBatchCorrect = false };

        var result = await new VariationalTrainer(model, options, new TrainingRunOptions { MaxFailedIterations = 0 })
            .TrainAsync(Dln.CreateOneLayer(model, "Answer the question.", OutputSpace.FromClasses("yes|Yes", "no|No")), train, dev);

        Assert.Equal(options.Iterations, result.IterationsCompleted);
        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.Equal(1, result.History[0].DevContextOverflows);
        Assert.True(result.History.Sum(h => h.ContextOverflows) > 0, "no batch example was left out");
        Assert.True(result.History.SelectMany(h => h.Updates).Sum(u => u.Proposals.ShownExamplesDropped) > 0, "no meta-prompt shrank");
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
    }
}
