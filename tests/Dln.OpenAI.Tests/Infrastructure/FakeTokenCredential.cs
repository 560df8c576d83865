using Azure.Core;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>A <see cref="TokenCredential"/> that hands out a fixed token and records the scopes asked for.</summary>
/// <param name="token">The token to return.</param>
public sealed class FakeTokenCredential(string token) : TokenCredential
{
    private int _calls;

    /// <summary>The scopes of the last request.</summary>
    public IReadOnlyList<string> LastScopes { get; private set; } = [];

    /// <summary>How many tokens were requested.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <inheritdoc />
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        LastScopes = requestContext.Scopes;
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    /// <inheritdoc />
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
