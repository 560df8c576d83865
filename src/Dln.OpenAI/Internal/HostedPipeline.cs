using System.ClientModel.Primitives;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.OpenAI;

/// <summary>Applies Dln's retry policy, per-attempt timeout and optional HttpClient to a System.ClientModel pipeline.</summary>
internal static class HostedPipeline
{
    /// <summary>Configures <paramref name="clientOptions"/> from <paramref name="options"/>.</summary>
    /// <param name="clientOptions">The OpenAI, Azure OpenAI or plain pipeline options to change.</param>
    /// <param name="options">Dln's settings.</param>
    /// <param name="logger">Receives retry warnings.</param>
    public static void Configure(ClientPipelineOptions clientOptions, HostedLanguageModelOptions options, ILogger logger)
    {
        clientOptions.RetryPolicy = new HostedRetryPolicy(options.Retry, logger);
        clientOptions.NetworkTimeout = options.AttemptTimeout;
        if (options.HttpClient is { } httpClient)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        }
    }
}
