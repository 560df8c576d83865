namespace DeepLanguageNetworks;

/// <summary>Why a call is made and for which layer; lets usage be counted per role and per layer.</summary>
/// <param name="Role">The role of the call in training or inference.</param>
/// <param name="Layer">The 0-based index of the layer concerned, or <see langword="null"/> when not tied to a layer (also the value of <c>default</c>).</param>
[System.Text.Json.Serialization.JsonConverter(typeof(CallPurposeJsonConverter))]
public readonly record struct CallPurpose(CallRole Role, int? Layer = null)
{
    /// <summary>No purpose given.</summary>
    public static CallPurpose Unspecified => new(CallRole.Unspecified);

    /// <inheritdoc />
    public override string ToString() => Layer is null ? Role.ToString() : $"{Role}[layer {Layer}]";
}
