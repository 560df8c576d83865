using System.Text.Json.Nodes;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// A <see cref="FakeOpenAIServer"/> handler that answers OpenAI chat completions (including Azure's deployment routes)
/// and vLLM text completions (generation, <c>logprobs</c> top-k, <c>echo</c>, <c>prompt_logprobs</c>) from any
/// <see cref="ILanguageModel"/>, such as a scripted test model. It lets an end-to-end test run a hosted backend against
/// a model whose answers the test controls.
/// </summary>
/// <remarks>
/// Chat requests with <c>logprobs: true</c>, <c>top_logprobs &gt; 0</c> and a one-token limit are answered with the
/// model's next-token distribution; other chat requests with a generation. For <c>echo</c> and <c>prompt_logprobs</c>
/// the prompt is cut by <see cref="WordTokenizer"/> and each token after the first is scored with
/// <see cref="ILanguageModel.ScoreContinuationAsync"/> on the text before it. A completions request whose <c>prompt</c>
/// is a list (as vLLM and OpenAI's legacy API accept) is answered prompt by prompt, one choice per prompt with its
/// <c>index</c>, the usage summed; the choices are listed last prompt first, so that a client must read the index.
/// </remarks>
public static class LanguageModelServerHandler
{
    /// <summary>Creates the handler.</summary>
    /// <param name="model">The model that computes the answers.</param>
    /// <returns>A handler for <see cref="FakeOpenAIServer.StartAsync(Func{RecordedRequest, Task{FakeResponse}})"/>.</returns>
    public static Func<RecordedRequest, Task<FakeResponse>> Create(ILanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return request => HandleAsync(model, request);
    }

    private static async Task<FakeResponse> HandleAsync(ILanguageModel model, RecordedRequest request)
    {
        if (request.Method != "POST")
        {
            return FakeResponse.Error(405, $"Method {request.Method} not allowed.");
        }

        if (request.Path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            return await ChatAsync(model, request.JsonObject).ConfigureAwait(false);
        }

        if (request.Path.EndsWith("/completions", StringComparison.Ordinal))
        {
            return await CompletionsAsync(model, request.JsonObject).ConfigureAwait(false);
        }

        return FakeResponse.Error(404, $"Unknown route {request.Path}.");
    }

    private static async Task<FakeResponse> ChatAsync(ILanguageModel model, JsonObject body)
    {
        var modelName = body["model"]?.GetValue<string>() ?? "unknown";
        var prompt = string.Join("\n\n", body["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()));
        var logprobs = body["logprobs"]?.GetValue<bool>() ?? false;
        var top = body["top_logprobs"]?.GetValue<int>() ?? 0;
        var maxTokens = (body["max_completion_tokens"] ?? body["max_tokens"])?.GetValue<int>() ?? 256;

        if (logprobs && top > 0 && maxTokens == 1)
        {
            var next = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest(prompt, top)).ConfigureAwait(false);
            var first = next.TopTokens[0];
            var alternatives = next.TopTokens.Select(t => (t.Token, t.LogProbability)).ToArray();
            return FakeResponse.Json(OpenAIWire.ChatCompletion(modelName, first.Token, [new WireToken(first.Token, first.LogProbability, alternatives)],
                (int)next.Usage.InputTokens, 1, "length"));
        }

        var generation = await model.GenerateAsync(ToGenerationRequest(body, prompt, maxTokens, logprobs)).ConfigureAwait(false);
        var tokens = logprobs
            ? generation.TokenLogProbabilities?.Select(t => new WireToken(t.Token, t.LogProbability, top > 0 ? [(t.Token, t.LogProbability)] : [])).ToArray()
            : null;
        return FakeResponse.Json(OpenAIWire.ChatCompletion(modelName, generation.Text, tokens, (int)generation.Usage.InputTokens,
            (int)generation.Usage.OutputTokens, FinishReasonText(generation.FinishReason)));
    }

    private static async Task<FakeResponse> CompletionsAsync(ILanguageModel model, JsonObject body)
    {
        if (body["prompt"] is JsonArray prompts)
        {
            var answers = new List<JsonObject>();
            for (var i = 0; i < prompts.Count; i++)
            {
                var one = (JsonObject)body.DeepClone();
                one["prompt"] = prompts[i]!.GetValue<string>();
                var answer = await CompletionsAsync(model, one).ConfigureAwait(false);
                if (answer.StatusCode != 200)
                {
                    return answer; // one bad prompt fails the whole request, as vLLM does
                }

                answers.Add(JsonNode.Parse(answer.Body)!.AsObject());
            }

            var merged = answers[0];
            var choices = new JsonArray();
            for (var i = answers.Count - 1; i >= 0; i--)
            {
                var choice = answers[i]["choices"]![0]!.DeepClone().AsObject();
                choice["index"] = i;
                choices.Add(choice);
            }

            merged["choices"] = choices;
            merged["usage"] = new JsonObject
            {
                ["prompt_tokens"] = answers.Sum(a => a["usage"]!["prompt_tokens"]!.GetValue<int>()),
                ["completion_tokens"] = answers.Sum(a => a["usage"]!["completion_tokens"]!.GetValue<int>()),
                ["total_tokens"] = answers.Sum(a => a["usage"]!["total_tokens"]?.GetValue<int>() ?? 0),
            };
            return FakeResponse.Json(merged.ToJsonString());
        }

        var modelName = body["model"]?.GetValue<string>() ?? "unknown";
        var prompt = body["prompt"]!.GetValue<string>();
        var echo = body["echo"]?.GetValue<bool>() ?? false;
        var logprobs = body["logprobs"]?.GetValue<int>();
        var promptLogprobs = body["prompt_logprobs"]?.GetValue<int>();
        var maxTokens = body["max_tokens"]?.GetValue<int>() ?? 16;

        if (echo || promptLogprobs is not null)
        {
            var promptTokens = await ScorePromptAsync(model, prompt).ConfigureAwait(false);
            var generated = maxTokens > 0
                ? await model.GenerateAsync(new GenerationRequest(prompt) { MaxTokens = maxTokens, IncludeLogProbabilities = true }).ConfigureAwait(false)
                : new GenerationResponse(string.Empty, LanguageModelUsage.Zero) { TokenLogProbabilities = [] };
            var generatedTokens = (generated.TokenLogProbabilities ?? []).Select(t => (t.Token, (double?)t.LogProbability)).ToList();
            if (echo)
            {
                return FakeResponse.Json(OpenAIWire.TextCompletion(modelName, prompt + generated.Text, [.. promptTokens, .. generatedTokens],
                    promptTokens.Count, generatedTokens.Count));
            }

            var entries = new JsonArray(promptTokens.Select((t, i) => t.LogProbability is { } value
                ? (JsonNode)new JsonObject { [(1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["logprob"] = value, ["rank"] = 1, ["decoded_token"] = t.Token } }
                : null).ToArray());
            return FakeResponse.Json(OpenAIWire.TextCompletion(modelName, generated.Text, logprobs is null ? null : generatedTokens,
                promptTokens.Count, generatedTokens.Count, promptLogProbabilities: entries));
        }

        if (logprobs is > 0 && maxTokens == 1)
        {
            var next = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest(prompt, logprobs.Value)).ConfigureAwait(false);
            var first = next.TopTokens[0];
            var top = next.TopTokens.GroupBy(t => t.Token).ToDictionary(g => g.Key, g => g.First().LogProbability);
            return FakeResponse.Json(OpenAIWire.TextCompletion(modelName, first.Token, [(first.Token, first.LogProbability)], (int)next.Usage.InputTokens, 1,
                topLogProbabilities: [top]));
        }

        var generation = await model.GenerateAsync(ToGenerationRequest(body, prompt, maxTokens, logprobs is not null)).ConfigureAwait(false);
        var tokens = logprobs is not null ? generation.TokenLogProbabilities?.Select(t => (t.Token, (double?)t.LogProbability)).ToArray() : null;
        return FakeResponse.Json(OpenAIWire.TextCompletion(modelName, generation.Text, tokens, (int)generation.Usage.InputTokens,
            (int)generation.Usage.OutputTokens, FinishReasonText(generation.FinishReason)));
    }

    private static async Task<List<(string Token, double? LogProbability)>> ScorePromptAsync(ILanguageModel model, string prompt)
    {
        var tokens = WordTokenizer.Split(prompt);
        var result = new List<(string, double?)>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (i == 0)
            {
                result.Add((tokens[i], null));
                continue;
            }

            var score = await model.ScoreContinuationAsync(new ContinuationRequest(string.Concat(tokens.Take(i)), tokens[i])).ConfigureAwait(false);
            result.Add((tokens[i], score.Sum));
        }

        return result;
    }

    private static GenerationRequest ToGenerationRequest(JsonObject body, string prompt, int maxTokens, bool logprobs) => new(prompt)
    {
        Temperature = body["temperature"]?.GetValue<double>() ?? 1.0,
        TopP = body["top_p"]?.GetValue<double>(),
        MaxTokens = maxTokens,
        Seed = body["seed"]?.GetValue<long>(),
        StopSequences = body["stop"] switch
        {
            JsonArray array => array.Select(s => s!.GetValue<string>()).ToArray(),
            JsonValue value => [value.GetValue<string>()],
            _ => [],
        },
        IncludeLogProbabilities = logprobs,
    };

    private static string FinishReasonText(FinishReason reason) => reason switch
    {
        FinishReason.Length => "length",
        FinishReason.ContentFilter => "content_filter",
        _ => "stop",
    };
}
