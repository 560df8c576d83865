using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// An in-process HTTP server on 127.0.0.1 (Kestrel, free port) that records every request and answers from a handler:
/// a stand-in for OpenAI, Azure OpenAI or vLLM in tests that must not touch the internet.
/// </summary>
/// <example>
/// <code>
/// await using var server = await FakeOpenAIServer.StartAsync(_ => Task.FromResult(FakeResponse.Json(OpenAIWire.ChatCompletion("gpt-4o-mini", "Yes"))));
/// var model = OpenAIChatLanguageModel.ForCompatibleServer(server.BaseUrl, "gpt-4o-mini");
/// </code>
/// </example>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<RecordedRequest, Task<FakeResponse>> _handler;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _count;

    private FakeOpenAIServer(WebApplication app, Func<RecordedRequest, Task<FakeResponse>> handler)
    {
        _app = app;
        _handler = handler;
    }

    /// <summary>The server's root, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri RootUrl { get; private set; } = null!;

    /// <summary>The OpenAI-style API base, <c>{RootUrl}v1</c>.</summary>
    public Uri BaseUrl => new(RootUrl, "v1");

    /// <summary>The requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.OrderBy(r => r.Index).ToArray();

    /// <summary>How many requests arrived so far.</summary>
    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>Starts a server that answers every request with <paramref name="handler"/>.</summary>
    /// <param name="handler">Builds the answer to a request; may be called concurrently.</param>
    /// <returns>The running server.</returns>
    public static async Task<FakeOpenAIServer> StartAsync(Func<RecordedRequest, Task<FakeResponse>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeOpenAIServer(app, handler);
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.RootUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Starts a server that answers the given responses in order, then repeats the last one.</summary>
    /// <param name="responses">The answers.</param>
    /// <returns>The running server.</returns>
    public static Task<FakeOpenAIServer> StartAsync(params FakeResponse[] responses)
    {
        if (responses.Length == 0)
        {
            throw new ArgumentException("Give at least one response.", nameof(responses));
        }

        return StartAsync(request => Task.FromResult(responses[Math.Min(request.Index, responses.Length - 1)]));
    }

    /// <summary>Stops the server; hanging requests are released.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var index = Interlocked.Increment(ref _count) - 1;
        var request = new RecordedRequest(index, context.Request.Method, context.Request.Path.Value ?? "/",
            context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : string.Empty, headers, body);
        _requests.Enqueue(request);

        var response = await _handler(request).ConfigureAwait(false);
        if (response.Delay != TimeSpan.Zero)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(response.Delay, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (response.AbortConnection)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(response.Body, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }
}
