using System.Text.Json;
using System.Text.Json.Serialization;
using OpenAI.Chat;

namespace DeepLanguageNetworks.Extensions.AI;

/// <summary>The token log-probabilities of a chat response, read from the OpenAI completion or from what <see cref="LogProbabilityCapturingChatClient"/> kept.</summary>
internal static class CapturedLogProbabilities
{
    public static JsonElement ToJson(IReadOnlyList<ChatTokenLogProbabilityDetails> details) =>
        JsonSerializer.SerializeToElement(FromCompletion(details), CapturedJsonContext.Default.CapturedTokenArray);

    public static CapturedToken[] FromCompletion(IReadOnlyList<ChatTokenLogProbabilityDetails> details) =>
        details.Select(d => new CapturedToken(d.Token, d.LogProbability, d.TopLogProbabilities.Select(t => new CapturedAlternative(t.Token, t.LogProbability)).ToArray())).ToArray();

    /// <summary>Reads a kept value: a JSON array (as kept, or as a cache gives it back), or its text.</summary>
    /// <returns>The tokens, or null when the value is absent or not in the expected shape.</returns>
    public static IReadOnlyList<CapturedToken>? TryRead(object? value)
    {
        try
        {
            return value switch
            {
                JsonElement { ValueKind: JsonValueKind.Array } array => array.Deserialize(CapturedJsonContext.Default.CapturedTokenArray),
                JsonElement { ValueKind: JsonValueKind.String } text => JsonSerializer.Deserialize(text.GetString()!, CapturedJsonContext.Default.CapturedTokenArray),
                string text => JsonSerializer.Deserialize(text, CapturedJsonContext.Default.CapturedTokenArray),
                CapturedToken[] tokens => tokens,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One generated token and its most likely alternatives.</summary>
internal sealed record CapturedToken(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("logprob")] double LogProbability,
    [property: JsonPropertyName("top")] IReadOnlyList<CapturedAlternative> Top);

/// <summary>One alternative at a token position.</summary>
internal sealed record CapturedAlternative(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("logprob")] double LogProbability);

[JsonSerializable(typeof(CapturedToken[]))]
internal sealed partial class CapturedJsonContext : JsonSerializerContext;
