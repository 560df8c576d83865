namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// Sends every request to a local server instead of its real host (keeping path and query), and remembers the URLs the
/// client meant to call. Lets tests run <see cref="OpenAIChatLanguageModel.ForOpenAI"/> without the internet.
/// </summary>
public sealed class RedirectingHandler : DelegatingHandler
{
    private readonly Uri _target;
    private readonly List<Uri> _originalUris = [];

    /// <summary>Redirects to <paramref name="target"/>.</summary>
    /// <param name="target">The local server's root.</param>
    public RedirectingHandler(Uri target)
        : base(new SocketsHttpHandler())
    {
        _target = target;
    }

    /// <summary>The URLs requested before redirection.</summary>
    public IReadOnlyList<Uri> OriginalUris
    {
        get
        {
            lock (_originalUris)
            {
                return [.. _originalUris];
            }
        }
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri!;
        lock (_originalUris)
        {
            _originalUris.Add(original);
        }

        request.RequestUri = new UriBuilder(original) { Scheme = _target.Scheme, Host = _target.Host, Port = _target.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
