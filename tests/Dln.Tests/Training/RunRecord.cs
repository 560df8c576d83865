using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// A deep, order-preserving text form of a training result (prompts, scores, history with every candidate score), so
/// two runs can be compared for exact equality: records holding lists compare the lists by reference.
/// </summary>
internal static class RunRecord
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Of(TrainingResult result) => JsonSerializer.Serialize(result, Options);

    public static string Of(IEnumerable<TrainingProgress> history) => JsonSerializer.Serialize(history.ToArray(), Options);
}
