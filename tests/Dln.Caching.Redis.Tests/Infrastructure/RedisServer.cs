using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DeepLanguageNetworks.Caching.Redis.Tests;

/// <summary>
/// A real <c>redis-server</c> (the Debian package) started for one test on 127.0.0.1 on a free port, with no
/// persistence, in a temporary folder; stopped and removed on dispose. It can be killed, paused (SIGSTOP: the port
/// still accepts connections but nothing answers, as a hung server) and started again on the same port.
/// </summary>
/// <remarks>
/// When <c>redis-server</c> is not on the PATH, <see cref="StartAsync"/> throws, so that every test needing it fails
/// with a message saying how to install it: a missing server must never pass silently.
/// </remarks>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _executable;
    private readonly string _folder;
    private readonly string? _password;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServer(string executable, int port, string? password)
    {
        _executable = executable;
        Port = port;
        _password = password;
        _folder = Path.Combine(Path.GetTempPath(), "dln-redis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    /// <summary>
    /// Store settings for tests that count entries or backend calls: one operation timing out on a loaded machine
    /// would switch the store off and change the counts for a reason unrelated to what the test checks.
    /// </summary>
    public static RedisCacheStoreOptions GenerousTimeouts { get; } = new() { OperationTimeout = TimeSpan.FromSeconds(15), ConnectTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string, password included when there is one.</summary>
    public string Configuration => _password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={_password}";

    /// <summary>The server as a <c>redis://</c> URL, password included when there is one.</summary>
    public string Url => _password is null ? $"redis://127.0.0.1:{Port}" : $"redis://:{Uri.EscapeDataString(_password)}@127.0.0.1:{Port}";

    /// <summary>What the server printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a server and waits until it answers PING.</summary>
    /// <param name="password">Sets <c>requirepass</c> when given.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException"><c>redis-server</c> is not installed, or did not start.</exception>
    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        var executable = FindExecutable() ?? throw new InvalidOperationException(
            "redis-server is not installed: these tests need a real Redis server. Install the Debian package with " +
            "`sudo apt-get install -y redis-server` (.ci/run does this before the build), then run the tests again.");
        var server = new RedisServer(executable, FreePort(), password);
        try
        {
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Finds <c>redis-server</c> on the PATH.</summary>
    /// <returns>Its full path, or <see langword="null"/>.</returns>
    public static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    /// <summary>Kills the server at once (SIGKILL): connections drop, nothing is saved.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>Starts the server again on the same port after <see cref="Kill"/> (empty: it saves nothing).</summary>
    /// <returns>A task that completes when the server answers.</returns>
    public Task RestartAsync()
    {
        Kill();
        return StartProcessAsync();
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open, commands get no answer.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>Lets a paused server go on (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

    /// <summary>Stops the server and removes its folder.</summary>
    /// <returns>A task that completes when it is gone.</returns>
    public ValueTask DisposeAsync()
    {
        try
        {
            Resume();
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", _folder, "--daemonize", "no", "--logfile", "" })
        {
            start.ArgumentList.Add(argument);
        }

        if (_password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(_password);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode} on port {Port}:\n{Output}");
            }

            if (await AnswersAsync())
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException($"redis-server did not answer on port {Port} within 15 s:\n{Output}");
    }

    // A raw RESP PING: any reply (+PONG, or -NOAUTH from a server with a password) means the server is up.
    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return read > 0 && (buffer[0] == (byte)'+' || buffer[0] == (byte)'-');
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Signal(string signal)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
