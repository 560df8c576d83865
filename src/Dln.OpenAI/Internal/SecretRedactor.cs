namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Removes a known secret from text that came from elsewhere (a provider's error message may quote what it received).
/// Defence in depth: messages are built without the key in the first place.
/// </summary>
internal sealed class SecretRedactor
{
    private readonly string? _secret;

    /// <summary>Creates a redactor for <paramref name="secret"/>; short or missing secrets (dummy keys) are not redacted.</summary>
    /// <param name="secret">The API key, or <see langword="null"/>.</param>
    public SecretRedactor(string? secret) => _secret = secret is { Length: >= 8 } ? secret : null;

    /// <summary>A redactor that changes nothing.</summary>
    public static SecretRedactor None { get; } = new(null);

    /// <summary>Returns <paramref name="text"/> with every occurrence of the secret replaced.</summary>
    /// <param name="text">Text that may contain the secret.</param>
    /// <returns>The redacted text.</returns>
    public string? Redact(string? text) =>
        text is null || _secret is null ? text : text.Replace(_secret, "[redacted]", StringComparison.Ordinal);
}
