using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks.Tests.Training;

/// <summary>
/// A deep, order-preserving text form of a training run (prompts, scores, dev accuracies, history with every candidate
/// score), so two runs can be compared for exact equality: records holding lists compare the lists by reference.
/// </summary>
internal static class RunRecord
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The run; with <paramref name="accounting"/> false, calls and tokens are left out.</summary>
    public static string Of(TrainingResult result, bool accounting = true) => JsonSerializer.Serialize(
        new
        {
            result.BestPrompts,
            result.BestDevAccuracy,
            result.InitialDevAccuracy,
            result.IterationsCompleted,
            result.StopReason,
            Calls = accounting ? result.Calls : 0,
            Tokens = accounting ? result.Tokens : 0,
            History = Of(result.History, accounting),
        },
        Options);

    /// <summary>The history; with <paramref name="accounting"/> false, calls and tokens are left out.</summary>
    public static string Of(IEnumerable<TrainingProgress> history, bool accounting = true) =>
        JsonSerializer.Serialize(history.Select(h => accounting ? h : h with { Calls = 0, Tokens = 0 }).ToArray(), Options);
}
