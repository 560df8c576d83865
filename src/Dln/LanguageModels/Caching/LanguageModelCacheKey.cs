using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace DeepLanguageNetworks;

/// <summary>
/// Computes the cache key of a request: the SHA-256 of a canonical JSON document holding everything that changes the
/// response, as a lower-case hex string.
/// </summary>
/// <remarks>
/// <para>The document holds, in a fixed order: the cache format version (<see cref="FormatVersion"/>), the provider
/// and model id, the operation, and every request field that changes the result — for generation the prompt,
/// temperature, top-p, max tokens, stop sequences, seed, whether log-probabilities are requested and the sample index
/// (so K samples at temperature &gt; 0 stay K distinct entries); for next-token requests the context and top-k; for
/// continuation scoring the context and the continuation.</para>
/// <para>Left out on purpose: <c>Purpose</c> (accounting only: a forward call and an evaluation call with the same
/// prompt share one entry), <c>BypassCache</c>, and the endpoint (so machines that reach one model through different
/// URLs share a cache).</para>
/// </remarks>
internal static class LanguageModelCacheKey
{
    /// <summary>
    /// The version of the key and payload format. Raising it makes every existing entry unreachable, which is the
    /// intended way to invalidate caches after a change in what a response means.
    /// </summary>
    public const int FormatVersion = 1;

    /// <summary>The key of a request of any operation.</summary>
    /// <param name="model">The model that answers (its provider and model id are part of the key).</param>
    /// <param name="request">The request.</param>
    /// <returns>A 64-character lower-case hex string.</returns>
    public static string For(LanguageModelMetadata model, LanguageModelRequest request) => request switch
    {
        GenerationRequest generation => GenerationKey(model, generation),
        NextTokenRequest nextToken => NextTokenKey(model, nextToken),
        ContinuationRequest continuation => ContinuationKey(model, continuation),
        null => throw new ArgumentNullException(nameof(request)),
        _ => throw new ArgumentException($"Requests of type {request.GetType().Name} have no cache key.", nameof(request)),
    };

    private static string GenerationKey(LanguageModelMetadata model, GenerationRequest request) =>
        Hash(model, "generate", w =>
        {
            w.WriteString("prompt", request.Prompt);
            w.WriteNumber("temperature", Normalize(request.Temperature));
            if (request.TopP is { } topP)
            {
                w.WriteNumber("topP", Normalize(topP));
            }
            else
            {
                w.WriteNull("topP");
            }

            w.WriteNumber("maxTokens", request.MaxTokens);
            w.WriteStartArray("stop");
            foreach (var stop in request.StopSequences)
            {
                w.WriteStringValue(stop);
            }

            w.WriteEndArray();
            if (request.Seed is { } seed)
            {
                w.WriteNumber("seed", seed);
            }
            else
            {
                w.WriteNull("seed");
            }

            w.WriteBoolean("logprobs", request.IncludeLogProbabilities);
            w.WriteNumber("sample", request.SampleIndex);
        });

    private static string NextTokenKey(LanguageModelMetadata model, NextTokenRequest request) =>
        Hash(model, "next-token", w =>
        {
            w.WriteString("context", request.Context);
            w.WriteNumber("topK", request.TopK);
        });

    private static string ContinuationKey(LanguageModelMetadata model, ContinuationRequest request) =>
        Hash(model, "continuation", w =>
        {
            w.WriteString("context", request.Context);
            w.WriteString("continuation", request.Continuation);
        });

    // -0.0 and 0.0 decode identically; give them one key.
    private static double Normalize(double value) => value == 0 ? 0 : value;

    private static string Hash(LanguageModelMetadata model, string operation, Action<Utf8JsonWriter> writeFields)
    {
        ArgumentNullException.ThrowIfNull(model);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteString("provider", model.ProviderName);
            writer.WriteString("model", model.ModelId);
            writer.WriteString("op", operation);
            writeFields(writer);
            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }
}
