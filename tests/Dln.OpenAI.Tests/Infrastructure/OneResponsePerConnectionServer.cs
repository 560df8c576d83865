using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>
/// A bare HTTP/1.1 server on 127.0.0.1 (a <see cref="TcpListener"/>) that answers one request per connection and then
/// closes it, without saying <c>Connection: close</c>: a proxy or server whose keep-alive is off but whose responses
/// do not say so. A client that keeps the connection in its pool finds it dead on the next request.
/// </summary>
/// <remarks>
/// The server waits <see cref="CloseDelay"/> after each response before closing, so that a client that reuses the
/// connection at once has sent its next request on it: that request is never read and ends with the connection.
/// </remarks>
public sealed class OneResponsePerConnectionServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<string, string> _answer;
    private readonly int _closeUnanswered;
    private readonly Task _accepting;
    private int _connections;
    private int _responses;

    private OneResponsePerConnectionServer(Func<string, string> answer, int closeUnanswered)
    {
        _answer = answer;
        _closeUnanswered = closeUnanswered;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1");
        _accepting = AcceptAsync();
    }

    /// <summary>How long the server keeps a connection open after its response.</summary>
    public static TimeSpan CloseDelay { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The OpenAI-style API base, <c>http://127.0.0.1:{port}/v1</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Responses sent so far (one per connection at most).</summary>
    public int Responses => Volatile.Read(ref _responses);

    /// <summary>Starts a server that answers every request body with the JSON <paramref name="answer"/> returns.</summary>
    /// <param name="answer">The response body for a request body.</param>
    /// <param name="closeUnanswered">How many connections, the first ones, the server closes after reading their request, without answering.</param>
    /// <returns>The running server.</returns>
    public static OneResponsePerConnectionServer Start(Func<string, string> answer, int closeUnanswered = 0) => new(answer, closeUnanswered);

    /// <summary>Stops listening and waits for the accept loop to end.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop with one of these.
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            var number = Interlocked.Increment(ref _connections);
            _ = ServeAsync(client, answers: number > _closeUnanswered);
        }
    }

    private async Task ServeAsync(TcpClient client, bool answers)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var body = await ReadRequestBodyAsync(stream).ConfigureAwait(false);
                if (body is null || !answers)
                {
                    return;
                }

                var payload = Encoding.UTF8.GetBytes(_answer(body));
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\n\r\n");
                await stream.WriteAsync(head, _stopping.Token).ConfigureAwait(false);
                await stream.WriteAsync(payload, _stopping.Token).ConfigureAwait(false);
                await stream.FlushAsync(_stopping.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _responses);
                await Task.Delay(CloseDelay, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // The client went away or the server is stopping.
            }
        }
    }

    private static async Task<string?> ReadRequestBodyAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        var headerEnd = -1;
        while (headerEnd < 0)
        {
            var read = await stream.ReadAsync(chunk).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
            headerEnd = IndexOf(buffer, "\r\n\r\n"u8);
        }

        var headers = Encoding.ASCII.GetString(buffer.ToArray(), 0, headerEnd);
        var length = headers.Split("\r\n")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(parts => int.Parse(parts[1].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var bodyStart = headerEnd + 4;
        while (buffer.Count - bodyStart < length)
        {
            var read = await stream.ReadAsync(chunk).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        return Encoding.UTF8.GetString(buffer.ToArray(), bodyStart, length);
    }

    private static int IndexOf(List<byte> buffer, ReadOnlySpan<byte> value)
    {
        for (var i = 0; i + value.Length <= buffer.Count; i++)
        {
            var match = true;
            for (var j = 0; j < value.Length && match; j++)
            {
                match = buffer[i + j] == value[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
