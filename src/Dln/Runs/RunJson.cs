using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>The JSON settings of the run folder's files: camel case, nulls left out, NaN and infinities as named literals.</summary>
internal static class RunJson
{
    /// <summary>One value per line (history.jsonl, calls.jsonl): control characters are always escaped, so a line never breaks.</summary>
    public static JsonSerializerOptions Lines { get; } = Create(indented: false);

    /// <summary>Documents meant to be read by people as well (config.json).</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = indented,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
