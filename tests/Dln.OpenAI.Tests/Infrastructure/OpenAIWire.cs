using System.Text;
using System.Text.Json.Nodes;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// Builds response bodies in the real wire format of OpenAI chat completions (as in the recorded fixtures) and of
/// vLLM's text completions, so that tests exercise the same parsing paths as production.
/// </summary>
public static class OpenAIWire
{
    /// <summary>A <c>chat.completion</c> object.</summary>
    /// <param name="model">The model name echoed back.</param>
    /// <param name="text">The assistant message content.</param>
    /// <param name="tokens">Token log-probabilities, or <see langword="null"/> for <c>"logprobs": null</c>.</param>
    /// <param name="promptTokens">Usage: prompt tokens.</param>
    /// <param name="completionTokens">Usage: completion tokens (defaults to the token count, or 1).</param>
    /// <param name="finishReason">The finish reason.</param>
    /// <returns>The JSON text.</returns>
    public static string ChatCompletion(string model, string text, IReadOnlyList<WireToken>? tokens = null, int promptTokens = 10,
        int? completionTokens = null, string finishReason = "stop")
    {
        JsonNode? logprobs = null;
        if (tokens is not null)
        {
            logprobs = new JsonObject
            {
                ["content"] = new JsonArray(tokens.Select(t => (JsonNode?)new JsonObject
                {
                    ["token"] = t.Token,
                    ["logprob"] = t.LogProbability,
                    ["bytes"] = Bytes(t.Token),
                    ["top_logprobs"] = new JsonArray(t.Alternatives.Select(a => (JsonNode?)new JsonObject
                    {
                        ["token"] = a.Token,
                        ["logprob"] = a.LogProbability,
                        ["bytes"] = Bytes(a.Token),
                    }).ToArray()),
                }).ToArray()),
                ["refusal"] = null,
            };
        }

        var completion = completionTokens ?? tokens?.Count ?? 1;
        return new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["created"] = 1770950741,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text, ["refusal"] = null, ["annotations"] = new JsonArray() },
                ["logprobs"] = logprobs,
                ["finish_reason"] = finishReason,
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completion,
                ["total_tokens"] = promptTokens + completion,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0, ["audio_tokens"] = 0 },
                ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0, ["audio_tokens"] = 0 },
            },
            ["service_tier"] = "default",
            ["system_fingerprint"] = "fp_test",
        }.ToJsonString();
    }

    /// <summary>A vLLM <c>text_completion</c> object with a legacy <c>logprobs</c> block.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="text">The choice's text (with echo: prompt followed by the generated text).</param>
    /// <param name="tokens">The tokens with log-probabilities (<see langword="null"/> for the first prompt token), or <see langword="null"/> for <c>"logprobs": null</c>.</param>
    /// <param name="topLogProbabilities">Per token, the top alternatives (or <see langword="null"/>); defaults to each token alone.</param>
    /// <param name="promptTokens">Usage: prompt tokens.</param>
    /// <param name="completionTokens">Usage: completion tokens.</param>
    /// <param name="finishReason">The finish reason.</param>
    /// <param name="promptLogProbabilities">vLLM's <c>prompt_logprobs</c> array, if any.</param>
    /// <returns>The JSON text.</returns>
    public static string TextCompletion(string model, string text, IReadOnlyList<(string Token, double? LogProbability)>? tokens, int promptTokens,
        int completionTokens, string finishReason = "length", IReadOnlyList<IReadOnlyDictionary<string, double>?>? topLogProbabilities = null,
        JsonArray? promptLogProbabilities = null)
    {
        JsonNode? logprobs = null;
        if (tokens is not null)
        {
            var offsets = new JsonArray();
            var offset = 0;
            foreach (var (token, _) in tokens)
            {
                offsets.Add(offset);
                offset += token.EnumerateRunes().Count();
            }

            logprobs = new JsonObject
            {
                ["text_offset"] = offsets,
                ["token_logprobs"] = new JsonArray(tokens.Select(t => (JsonNode?)(t.LogProbability is { } v ? JsonValue.Create(v) : null)).ToArray()),
                ["tokens"] = new JsonArray(tokens.Select(t => (JsonNode?)JsonValue.Create(t.Token)).ToArray()),
                ["top_logprobs"] = new JsonArray(tokens.Select((t, i) =>
                {
                    var top = topLogProbabilities is not null ? topLogProbabilities[i]
                        : t.LogProbability is { } v ? new Dictionary<string, double> { [t.Token] = v } : null;
                    return top is null ? null : (JsonNode)new JsonObject(top.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
                }).ToArray()),
            };
        }

        return new JsonObject
        {
            ["id"] = "cmpl-test",
            ["object"] = "text_completion",
            ["created"] = 1770950741,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["text"] = text,
                ["logprobs"] = logprobs,
                ["finish_reason"] = finishReason,
                ["stop_reason"] = null,
                ["prompt_logprobs"] = promptLogProbabilities,
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
            },
        }.ToJsonString();
    }

    private static JsonArray Bytes(string token) =>
        new(Encoding.UTF8.GetBytes(token).Select(b => (JsonNode?)JsonValue.Create((int)b)).ToArray());
}
