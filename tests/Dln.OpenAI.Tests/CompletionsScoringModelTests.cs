using System.Text.Json.Nodes;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>The completions-endpoint backend against a server speaking vLLM's wire format.</summary>
public sealed class CompletionsScoringModelTests
{
    private const string Key = "vllm-KEY-0123456789";

    [Theory]
    [InlineData(ContinuationScoringMode.Echo)]
    [InlineData(ContinuationScoringMode.PromptLogProbabilities)]
    public async Task Continuation_scores_equal_those_of_the_model_behind_the_server(ContinuationScoringMode mode)
    {
        var behind = new WordLevelTestModel();
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(behind));
        using var model = new CompletionsScoringModel(server.BaseUrl, "llama", Key, TestOptions.Completions(mode: mode));

        (string Context, string Continuation)[] cases =
        [
            ("Q: Is the sky blue?\nA:", " Yes, it is."),
            ("The cat sat on the", " mat"),
            ("Translate: chat ->", " cat\n\nDone"),
        ];
        foreach (var (context, continuation) in cases)
        {
            var expected = await behind.ScoreContinuationAsync(new ContinuationRequest(context, continuation));
            var actual = await model.ScoreContinuationAsync(new ContinuationRequest(context, continuation));

            Assert.Equal(expected.Tokens.Select(t => t.Token), actual.Tokens.Select(t => t.Token));
            Assert.Equal(expected.Tokens.Select(t => t.LogProbability), actual.Tokens.Select(t => t.LogProbability));
            Assert.Equal(expected.Sum, actual.Sum, 1e-12);
        }

        Assert.Equal(cases.Length, server.RequestCount);
    }

    [Fact]
    public async Task Echo_scoring_sends_the_whole_text_with_echo_and_one_log_probability()
    {
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(new WordLevelTestModel()));
        using var model = new CompletionsScoringModel(server.BaseUrl, "llama", Key, TestOptions.Completions());

        var response = await model.ScoreContinuationAsync(new ContinuationRequest("Hello", " world"));

        var sent = Assert.Single(server.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/completions", sent.Path);
        Assert.Equal($"Bearer {Key}", sent.GetHeader("Authorization"));
        Assert.StartsWith("application/json", sent.GetHeader("Content-Type"));
        var body = sent.JsonObject;
        Assert.Equal("llama", body["model"]!.GetValue<string>());
        Assert.Equal("Hello world", body["prompt"]!.GetValue<string>());
        Assert.True(body["echo"]!.GetValue<bool>());
        Assert.Equal(1, body["logprobs"]!.GetValue<int>());
        Assert.Equal(1, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(0, body["temperature"]!.GetValue<double>());
        Assert.False(body.ContainsKey("prompt_logprobs"));
        Assert.Equal([" world"], response.Tokens.Select(t => t.Token));

        // Usage as the server reports it: both prompt tokens, one generated token.
        Assert.Equal(new LanguageModelUsage(2, 1), response.Usage);
    }

    [Fact]
    public async Task Prompt_log_probability_scoring_sends_prompt_logprobs_without_echo()
    {
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(new WordLevelTestModel()));
        using var model = new CompletionsScoringModel(server.BaseUrl, "llama", options: TestOptions.Completions(mode: ContinuationScoringMode.PromptLogProbabilities));

        await model.ScoreContinuationAsync(new ContinuationRequest("Hello", " world"));

        var body = Assert.Single(server.Requests).JsonObject;
        Assert.Equal(1, body["prompt_logprobs"]!.GetValue<int>());
        Assert.False(body.ContainsKey("echo"));
        Assert.Null(server.Requests[0].GetHeader("Authorization"));
    }

    [Fact]
    public async Task EchoMaxTokens_zero_sends_max_tokens_zero()
    {
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(new WordLevelTestModel()));
        var options = new CompletionsScoringModelOptions { EchoMaxTokens = 0 };
        using var model = new CompletionsScoringModel(server.BaseUrl, "llama", options: options);

        var response = await model.ScoreContinuationAsync(new ContinuationRequest("Hello there", " world"));

        Assert.Equal(0, Assert.Single(server.Requests).JsonObject["max_tokens"]!.GetValue<int>());
        Assert.Equal([" world"], response.Tokens.Select(t => t.Token));
    }

    [Fact]
    public async Task A_decoded_BOS_token_and_a_generated_token_around_the_prompt_are_left_out()
    {
        // vLLM decodes a BOS token as "<s>" and counts it in text_offset; with max_tokens 1 one generated token follows.
        (string, double?)[] tokens = [("<s>", null), ("The", -3.0), (" sky", -2.0), (" is", -1.0), (" blue", -0.5), (".", -0.25), ("\n", -0.1)];
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Json(OpenAIWire.TextCompletion("llama", "The sky is blue.\n", tokens, promptTokens: 6, completionTokens: 1)));
        using var model = new CompletionsScoringModel(server.BaseUrl, "llama", options: TestOptions.Completions());

        var response = await model.ScoreContinuationAsync(new ContinuationRequest("The sky is", " blue."));

        Assert.Equal([(" blue", -0.5), (".", -0.25)], response.Tokens.Select(t => (t.Token, t.LogProbability)));
        Assert.Equal(-0.75, response.Sum, 1e-12);
    }

    [Fact]
    public async Task The_generated_tokens_are_found_from_completion_tokens_even_when_prompt_tokens_counts_an_unechoed_BOS()
    {
        (string, double?)[] tokens = [("The", null), (" sky", -2.0), (" is", -1.0), (" blue", -0.5), (" and", -0.05)];
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Json(OpenAIWire.TextCompletion("m", "The sky is blue and", tokens, promptTokens: 5, completionTokens: 1)));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        var response = await model.ScoreContinuationAsync(new ContinuationRequest("The sky", " is blue"));

        Assert.Equal([" is", " blue"], response.Tokens.Select(t => t.Token));
    }

    [Fact]
    public async Task A_token_straddling_the_boundary_counts_as_a_continuation_token()
    {
        // Context ends with a space that the tokenizer merges into the continuation's first word.
        (string, double?)[] tokens = [("Answer", null), (":", -1.0), (" yes", -0.4), ("!", -0.2)];
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Json(OpenAIWire.TextCompletion("m", "Answer: yes!", tokens, promptTokens: 4, completionTokens: 0)));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        var response = await model.ScoreContinuationAsync(new ContinuationRequest("Answer: ", "yes!"));

        Assert.Equal([" yes", "!"], response.Tokens.Select(t => t.Token));
    }

    [Fact]
    public async Task Tokens_decoded_without_their_leading_spaces_are_still_aligned()
    {
        // SentencePiece tokenizers decode "▁blue" alone as "blue": the texts no longer add up to the prompt.
        (string, double?)[] tokens = [("<s>", null), ("The", -3.0), ("sky", -2.0), ("is", -1.0), ("blue", -0.5), ("ish", -0.7), ("sky", -0.9)];
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Json(OpenAIWire.TextCompletion("m", "The sky is blueish sky", tokens, promptTokens: 7, completionTokens: 0)));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        var response = await model.ScoreContinuationAsync(new ContinuationRequest("The sky is", " blueish sky"));

        Assert.Equal(["blue", "ish", "sky"], response.Tokens.Select(t => t.Token));
        Assert.Equal(-2.1, response.Sum, 1e-12);
    }

    [Fact]
    public async Task Raw_byte_level_tokens_are_turned_into_text()
    {
        (string, double?)[] tokens = [("Hello", null), ("Ġworld", -1.5), ("Ċ", -0.5)];
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Json(OpenAIWire.TextCompletion("m", "Hello world\n", tokens, promptTokens: 3, completionTokens: 0)));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        var response = await model.ScoreContinuationAsync(new ContinuationRequest("Hello", " world\n"));

        Assert.Equal([" world", "\n"], response.Tokens.Select(t => t.Token));
    }

    [Fact]
    public async Task A_server_without_echo_support_gets_a_clear_error()
    {
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Json(OpenAIWire.TextCompletion("gpt-3.5-turbo-instruct", " x", tokens: null, promptTokens: 3, completionTokens: 1)));
        using var model = new CompletionsScoringModel(server.BaseUrl, "gpt-3.5-turbo-instruct", options: TestOptions.Completions());

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.ScoreContinuationAsync(new ContinuationRequest("a", " b")));

        Assert.Equal(LanguageModelErrorKind.MalformedResponse, error.Kind);
        Assert.Contains("echo", error.Message);
        Assert.Contains($"{server.BaseUrl}/completions", error.Message);
    }

    [Fact]
    public async Task Tokens_that_do_not_spell_the_prompt_are_reported_instead_of_misaligned()
    {
        (string, double?)[] tokens = [("Totally", null), (" different", -1.0)];
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Json(OpenAIWire.TextCompletion("m", "Totally different", tokens, promptTokens: 2, completionTokens: 0)));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.ScoreContinuationAsync(new ContinuationRequest("Short", " but a much longer continuation")));

        Assert.Equal(LanguageModelErrorKind.MalformedResponse, error.Kind);
        Assert.Contains("cannot be found", error.Message);
    }

    [Fact]
    public async Task An_empty_context_is_rejected_and_an_empty_continuation_costs_nothing()
    {
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(new WordLevelTestModel()));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        await Assert.ThrowsAsync<ArgumentException>("request", () => model.ScoreContinuationAsync(new ContinuationRequest("", "text")));
        var empty = await model.ScoreContinuationAsync(new ContinuationRequest("context", ""));

        Assert.Empty(empty.Tokens);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Next_token_scoring_asks_for_k_log_probabilities_of_one_greedy_token()
    {
        var behind = new WordLevelTestModel();
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(behind));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        var response = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Pick a letter:", TopK: 5));

        Assert.Equal(WordLevelTestModel.NextTokens("Pick a letter:", 5), response.TopTokens);
        var body = Assert.Single(server.Requests).JsonObject;
        Assert.Equal(5, body["logprobs"]!.GetValue<int>());
        Assert.Equal(1, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(0, body["temperature"]!.GetValue<double>());
        Assert.False(body.ContainsKey("echo"));
    }

    [Fact]
    public async Task Next_token_scoring_sorts_and_trims_what_the_server_returns()
    {
        var top = new Dictionary<string, double> { [" no"] = -2.0, [" yes"] = -0.1, [" maybe"] = -3.5 };
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(
            OpenAIWire.TextCompletion("m", " yes", [(" yes", -0.1)], promptTokens: 4, completionTokens: 1, topLogProbabilities: [top])));
        var options = new CompletionsScoringModelOptions { MaxTopLogProbabilities = 2 };
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: options);

        var response = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Is it?", TopK: 10));

        Assert.Equal([" yes", " no"], response.TopTokens.Select(t => t.Token));
        Assert.Equal(2, Assert.Single(server.Requests).JsonObject["logprobs"]!.GetValue<int>());
        Assert.Equal(new LanguageModelUsage(4, 1), response.Usage);
    }

    [Fact]
    public async Task Generation_sends_raw_text_with_the_decoding_options_and_reads_token_log_probabilities()
    {
        var behind = new WordLevelTestModel(_ => " forty two");
        await using var server = await FakeOpenAIServer.StartAsync(LanguageModelServerHandler.Create(behind));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        var response = await model.GenerateAsync(new GenerationRequest("The answer is") { Temperature = 0.5, TopP = 0.8, MaxTokens = 3, StopSequences = ["\n"], SampleIndex = 2, IncludeLogProbabilities = true });

        Assert.Equal(" forty two", response.Text);
        Assert.Equal([" forty", " two"], response.TokenLogProbabilities!.Select(t => t.Token));
        Assert.Equal(FinishReason.Stop, response.FinishReason);
        var body = Assert.Single(server.Requests).JsonObject;
        Assert.Equal("The answer is", body["prompt"]!.GetValue<string>());
        Assert.Equal(0.5, body["temperature"]!.GetValue<double>());
        Assert.Equal(0.8, body["top_p"]!.GetValue<double>());
        Assert.Equal(3, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(["\n"], body["stop"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(2, body["seed"]!.GetValue<long>());
        Assert.Equal(1, body["logprobs"]!.GetValue<int>());
    }

    [Fact]
    public async Task Server_errors_are_retried_and_client_errors_are_not()
    {
        await using var server = await FakeOpenAIServer.StartAsync(
            FakeResponse.Error(503, "loading"), FakeResponse.Json(OpenAIWire.TextCompletion("m", "x", null, 1, 1)), FakeResponse.Error(400, "bad"));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        Assert.Equal("x", (await model.GenerateAsync(new GenerationRequest("p"))).Text);
        Assert.Equal(2, server.RequestCount);
        var error = await Assert.ThrowsAsync<LanguageModelException>(() => model.GenerateAsync(new GenerationRequest("p")));
        Assert.Equal(LanguageModelErrorKind.BadRequest, error.Kind);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task vLLM_error_bodies_and_malformed_bodies_give_clear_errors()
    {
        var vllmError = new JsonObject { ["object"] = "error", ["message"] = "This model's maximum context length is 4096 tokens.", ["type"] = "BadRequestError", ["param"] = null, ["code"] = 400 };
        await using var server = await FakeOpenAIServer.StartAsync(FakeResponse.Json(vllmError.ToJsonString(), 400), FakeResponse.Json("not json at all"));
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());

        var tooLong = await Assert.ThrowsAsync<LanguageModelException>(() => model.ScoreContinuationAsync(new ContinuationRequest("a", " b")));
        var malformed = await Assert.ThrowsAsync<LanguageModelException>(() => model.ScoreContinuationAsync(new ContinuationRequest("a", " b")));

        Assert.Equal("This model's maximum context length is 4096 tokens.", tooLong.ProviderMessage);
        Assert.Equal(LanguageModelErrorKind.ContextLengthExceeded, tooLong.Kind);
        Assert.Equal(LanguageModelOperation.ContinuationLogProbabilities, tooLong.Operation);
        Assert.Equal("400", tooLong.ProviderErrorCode);
        Assert.Equal(LanguageModelErrorKind.MalformedResponse, malformed.Kind);
        Assert.Contains($"{server.BaseUrl}/completions", malformed.Message);
        Assert.Equal(3, malformed.Attempts);
        Assert.Equal(4, server.RequestCount); // the 400 once; the body that is not JSON on each of its 3 attempts
    }

    [Fact]
    public async Task A_hang_times_out_per_attempt_and_cancellation_is_honoured()
    {
        var arrivals = new SemaphoreSlim(0);
        await using var server = await FakeOpenAIServer.StartAsync(_ =>
        {
            arrivals.Release();
            return Task.FromResult(FakeResponse.Hang);
        });
        var options = new CompletionsScoringModelOptions
        {
            Retry = new() { AttemptTimeout = TimeSpan.FromMilliseconds(250), MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(1) },
        };
        using var model = new CompletionsScoringModel(server.BaseUrl, "m", options: options);

        var timeout = await Assert.ThrowsAsync<LanguageModelException>(() => model.ScoreContinuationAsync(new ContinuationRequest("a", " b")));
        Assert.Equal(LanguageModelErrorKind.Timeout, timeout.Kind);
        Assert.Equal(2, server.RequestCount);

        // Cancel once the third request has arrived (with a timeout too long to interfere): the call ends, not retried.
        using var patient = new CompletionsScoringModel(server.BaseUrl, "m", options: TestOptions.Completions());
        using var cancellation = new CancellationTokenSource();
        var call = patient.ScoreContinuationAsync(new ContinuationRequest("a", " b"), cancellation.Token);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await arrivals.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await Task.Delay(100);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public void Capabilities_include_continuation_scoring()
    {
        using var model = new CompletionsScoringModel(new Uri("http://127.0.0.1:9/v1"), "Qwen/Qwen2.5-7B-Instruct", options: new CompletionsScoringModelOptions { MaxConcurrency = 8 });

        Assert.True(model.Capabilities.ContinuationLogProbabilities);
        Assert.True(model.Capabilities.NextTokenLogProbabilities);
        Assert.True(model.Capabilities.SampledTokenLogProbabilities);
        Assert.False(model.Capabilities.Deterministic);
        Assert.Equal(8, model.Capabilities.DefaultMaxConcurrency);
        Assert.Equal("vllm", model.Metadata.ProviderName);
        Assert.Equal("http://127.0.0.1:9/v1", model.Metadata.Endpoint);
    }
}
