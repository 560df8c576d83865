using System.Text;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>
/// Removes a known secret from text that came from elsewhere (a provider's error message may quote what it received).
/// Defence in depth: messages are built without the key in the first place.
/// </summary>
/// <remarks>
/// Every configured secret is redacted, whatever its length. One of <see cref="SubstringLength"/> characters or more is
/// replaced wherever it occurs, also inside a longer word (<c>Bearer sk-…</c>, <c>key=…&amp;</c>). A shorter one is
/// replaced only where it stands as a whole token, neither preceded nor followed by a letter, a digit, <c>-</c> or
/// <c>_</c>: a seven-character key quoted as <c>"key abc1234."</c> is removed, while a one-character key <c>x</c> does
/// not turn every <c>x</c> of a message into the marker. A key that is empty or white space is no secret.
/// </remarks>
internal sealed class SecretRedactor
{
    /// <summary>The length from which a secret is removed wherever it occurs, not only as a whole token.</summary>
    public const int SubstringLength = 8;

    /// <summary>What replaces the secret.</summary>
    public const string Marker = "[redacted]";

    private readonly string? _secret;

    /// <summary>Creates a redactor for <paramref name="secret"/>.</summary>
    /// <param name="secret">The API key, or <see langword="null"/>.</param>
    public SecretRedactor(string? secret) => _secret = string.IsNullOrWhiteSpace(secret) ? null : secret;

    /// <summary>A redactor that changes nothing.</summary>
    public static SecretRedactor None { get; } = new(null);

    /// <summary>Returns <paramref name="text"/> with the secret replaced by the rules in the remarks.</summary>
    /// <param name="text">Text that may contain the secret.</param>
    /// <returns>The redacted text.</returns>
    public string? Redact(string? text)
    {
        if (text is null || _secret is null)
        {
            return text;
        }

        if (_secret.Length >= SubstringLength)
        {
            return text.Replace(_secret, Marker, StringComparison.Ordinal);
        }

        StringBuilder? redacted = null;
        var copied = 0;
        for (var at = text.IndexOf(_secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(_secret, at + 1, StringComparison.Ordinal))
        {
            var end = at + _secret.Length;
            if (at < copied || (at > 0 && IsWordCharacter(text[at - 1])) || (end < text.Length && IsWordCharacter(text[end])))
            {
                continue;
            }

            redacted ??= new StringBuilder(text.Length);
            redacted.Append(text, copied, at - copied).Append(Marker);
            copied = end;
        }

        return redacted is null ? text : redacted.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c is '-' or '_';
}
