using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DeepLanguageNetworks;

/// <summary>The JSON settings of the run folder's files: camel case, nulls left out, NaN and infinities as named literals.</summary>
internal static class RunJson
{
    /// <summary>One value per line (history.jsonl, calls.jsonl): control characters are always escaped, so a line never breaks.</summary>
    public static JsonSerializerOptions Lines { get; } = Create(indented: false, opaqueAsTypeName: false);

    /// <summary>
    /// config.json, read by people as well: the options records are written as they are, except members that are
    /// behaviour rather than data (a delegate, a clock, a cache store, a renderer: anything typed by an interface that
    /// is not a collection), which are written as the name of their type, so that no connection string or client
    /// held by such an object can reach the file.
    /// </summary>
    public static JsonSerializerOptions Configuration { get; } = Create(indented: true, opaqueAsTypeName: true);

    private static JsonSerializerOptions Create(bool indented, bool opaqueAsTypeName)
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
        if (opaqueAsTypeName)
        {
            options.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WriteOpaqueMembersAsTypeNames } };
        }

        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static void WriteOpaqueMembersAsTypeNames(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (IsOpaque(property.PropertyType))
            {
                property.CustomConverter = (JsonConverter)Activator.CreateInstance(typeof(TypeNameConverter<>).MakeGenericType(property.PropertyType))!;
            }
        }
    }

    private static bool IsOpaque(Type type) =>
        typeof(Delegate).IsAssignableFrom(type) || typeof(TimeProvider).IsAssignableFrom(type) || (type.IsInterface && !typeof(IEnumerable).IsAssignableFrom(type));

    private sealed class TypeNameConverter<T> : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException($"A {typeof(T).Name} is written as its type name and cannot be read back.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value!.GetType().Name);
    }
}
