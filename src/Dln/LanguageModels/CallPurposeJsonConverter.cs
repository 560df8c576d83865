using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>
/// Writes a <see cref="CallPurpose"/> as <c>"Scoring"</c> or <c>"Scoring@1"</c> (role, then layer), as a value and as a
/// dictionary key, so that usage reports keyed by purpose serialise to plain JSON.
/// </summary>
internal sealed class CallPurposeJsonConverter : JsonConverter<CallPurpose>
{
    public override CallPurpose Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString());

    public override void Write(Utf8JsonWriter writer, CallPurpose value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    public override CallPurpose ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, CallPurpose value, JsonSerializerOptions options) =>
        writer.WritePropertyName(Format(value));

    private static string Format(CallPurpose value) =>
        value.Layer is { } layer ? string.Create(CultureInfo.InvariantCulture, $"{value.Role}@{layer}") : value.Role.ToString();

    private static CallPurpose Parse(string? text)
    {
        var parts = (text ?? string.Empty).Split('@');
        if (parts.Length is 1 or 2 && Enum.TryParse<CallRole>(parts[0], ignoreCase: false, out var role) && Enum.IsDefined(role))
        {
            if (parts.Length == 1)
            {
                return new CallPurpose(role);
            }

            if (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var layer))
            {
                return new CallPurpose(role, layer);
            }
        }

        throw new JsonException($"'{text}' is not a call purpose: expected a role such as \"Scoring\", optionally followed by @ and a layer index (\"Scoring@1\").");
    }
}
