namespace DeepLanguageNetworks.OpenAI;

/// <summary>Turns URLs into text safe for messages and logs.</summary>
internal static class EndpointText
{
    /// <summary>Scheme, host, port and path: no user info, no query string (Azure SAS tokens, api keys), no fragment.</summary>
    /// <param name="uri">The URL.</param>
    /// <returns>The safe text.</returns>
    public static string Describe(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped)
            : uri.OriginalString.Split('?', '#')[0];
    }

    /// <summary>Appends a relative path to a base URL, keeping the base's path (unlike <see cref="Uri(Uri, string)"/> with a base that lacks a trailing slash).</summary>
    /// <param name="baseUri">The base URL, such as <c>http://127.0.0.1:8000/v1</c>.</param>
    /// <param name="relativePath">The path to append, such as <c>completions</c>.</param>
    /// <returns>The combined URL.</returns>
    public static Uri Combine(Uri baseUri, string relativePath)
    {
        var builder = new UriBuilder(baseUri) { Query = string.Empty, Fragment = string.Empty };
        builder.Path = builder.Path.TrimEnd('/') + "/" + relativePath.TrimStart('/');
        return builder.Uri;
    }
}
