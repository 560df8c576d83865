using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

// The payload format of cache entries. Separate from the public response records so that the stored format changes
// only on purpose (together with LanguageModelCacheKey.FormatVersion), not whenever a public record gains a property.
// Doubles are written in the shortest round-trippable form, so log-probabilities come back bit-exact; -Infinity (a
// token of probability zero) is written as a named literal.

internal sealed record CachedToken(string Token, double LogProbability);

internal sealed record CachedGeneration(
    string Text, long InputTokens, long OutputTokens, FinishReason FinishReason, IReadOnlyList<CachedToken>? LogProbabilities);

internal sealed record CachedTokenList(IReadOnlyList<CachedToken> Tokens, long InputTokens, long OutputTokens);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true,
    GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(CachedGeneration))]
[JsonSerializable(typeof(CachedTokenList))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;

/// <summary>Turns responses into cache payloads and back.</summary>
internal static class CachedResponses
{
    public static byte[] Serialize(LanguageModelResponse response) => response switch
    {
        GenerationResponse generation => Serialize(generation),
        NextTokenResponse nextToken => Serialize(nextToken),
        ContinuationResponse continuation => Serialize(continuation),
        _ => throw new ArgumentException($"Responses of type {response.GetType().Name} cannot be cached.", nameof(response)),
    };

    public static LanguageModelResponse Deserialize(LanguageModelOperation operation, byte[] payload) => operation switch
    {
        LanguageModelOperation.NextTokenLogProbabilities => DeserializeNextToken(payload),
        LanguageModelOperation.ContinuationLogProbabilities => DeserializeContinuation(payload),
        _ => DeserializeGeneration(payload),
    };

    public static byte[] Serialize(GenerationResponse response) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new CachedGeneration(response.Text, response.Usage.InputTokens, response.Usage.OutputTokens, response.FinishReason,
                response.TokenLogProbabilities is { } lp ? ToCached(lp) : null),
            CacheJsonContext.Default.CachedGeneration);

    public static byte[] Serialize(NextTokenResponse response) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new CachedTokenList(ToCached(response.TopTokens), response.Usage.InputTokens, response.Usage.OutputTokens),
            CacheJsonContext.Default.CachedTokenList);

    public static byte[] Serialize(ContinuationResponse response) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new CachedTokenList(ToCached(response.Tokens), response.Usage.InputTokens, response.Usage.OutputTokens),
            CacheJsonContext.Default.CachedTokenList);

    public static GenerationResponse DeserializeGeneration(byte[] payload)
    {
        var entry = JsonSerializer.Deserialize(payload, CacheJsonContext.Default.CachedGeneration) ?? throw NullPayload();
        return new GenerationResponse(entry.Text ?? throw NullPayload(), new LanguageModelUsage(entry.InputTokens, entry.OutputTokens))
        {
            FinishReason = entry.FinishReason,
            TokenLogProbabilities = entry.LogProbabilities is { } lp ? FromCached(lp) : null,
            FromCache = true,
        };
    }

    public static NextTokenResponse DeserializeNextToken(byte[] payload)
    {
        var entry = JsonSerializer.Deserialize(payload, CacheJsonContext.Default.CachedTokenList) ?? throw NullPayload();
        return new NextTokenResponse(FromCached(entry.Tokens ?? throw NullPayload()), new LanguageModelUsage(entry.InputTokens, entry.OutputTokens))
        {
            FromCache = true,
        };
    }

    public static ContinuationResponse DeserializeContinuation(byte[] payload)
    {
        var entry = JsonSerializer.Deserialize(payload, CacheJsonContext.Default.CachedTokenList) ?? throw NullPayload();
        return new ContinuationResponse(FromCached(entry.Tokens ?? throw NullPayload()), new LanguageModelUsage(entry.InputTokens, entry.OutputTokens))
        {
            FromCache = true,
        };
    }

    private static CachedToken[] ToCached(IReadOnlyList<TokenLogProbability> tokens)
    {
        var result = new CachedToken[tokens.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new CachedToken(tokens[i].Token, tokens[i].LogProbability);
        }

        return result;
    }

    private static TokenLogProbability[] FromCached(IReadOnlyList<CachedToken> tokens)
    {
        var result = new TokenLogProbability[tokens.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new TokenLogProbability(tokens[i].Token ?? throw NullPayload(), tokens[i].LogProbability);
        }

        return result;
    }

    private static JsonException NullPayload() => new("The cache entry is incomplete: a required field is null.");
}
