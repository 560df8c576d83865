using System.ClientModel.Primitives;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>Applies Dln's retry policy, per-attempt timeout and HttpClient to a System.ClientModel pipeline.</summary>
internal static class HostedPipeline
{
    /// <summary>
    /// How long a pooled connection may stay idle before it is closed: 4 seconds, shorter than the keep-alive of common
    /// model servers (uvicorn, which serves vLLM, closes idle connections after 5 s). A client that keeps a connection
    /// longer than the server does sends its next request into a connection the server is closing.
    /// </summary>
    internal static readonly TimeSpan PooledConnectionIdleTimeout = TimeSpan.FromSeconds(4);

    /// <summary>How long a pooled connection is used at most: 2 minutes, so that DNS changes and load-balancer moves are followed.</summary>
    internal static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    // One client for every model built without a caller's HttpClient: its connection pool is shared, as HttpClient is meant
    // to be. No client timeout: the per-attempt timeout (NetworkTimeout) and the total timeout govern.
    private static readonly Lazy<HttpClientPipelineTransport> SharedTransport = new(() => new HttpClientPipelineTransport(new HttpClient(
        new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = PooledConnectionIdleTimeout,
            PooledConnectionLifetime = PooledConnectionLifetime,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    }));

    /// <summary>Configures <paramref name="clientOptions"/> from <paramref name="options"/>.</summary>
    /// <param name="clientOptions">The OpenAI, Azure OpenAI or plain pipeline options to change.</param>
    /// <param name="options">Dln's settings.</param>
    /// <param name="logger">Receives retry warnings.</param>
    public static void Configure(ClientPipelineOptions clientOptions, HostedLanguageModelOptions options, ILogger logger)
    {
        clientOptions.RetryPolicy = new HostedRetryPolicy(options.Retry, logger);
        clientOptions.NetworkTimeout = options.AttemptTimeout;
        clientOptions.Transport = options.HttpClient is { } httpClient ? new HttpClientPipelineTransport(httpClient) : SharedTransport.Value;
    }
}
