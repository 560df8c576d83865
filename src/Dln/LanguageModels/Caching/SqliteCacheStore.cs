using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepLanguageNetworks;

/// <summary>
/// The embedded persistent <see cref="ILanguageModelCacheStore"/>: one SQLite file (Microsoft.Data.Sqlite) that
/// survives restarts, so an interrupted or repeated training run does not pay twice. Thread-safe; several processes
/// may share the file (SQLite write-ahead logging; writers wait for each other).
/// </summary>
/// <remarks>
/// <para>The file holds one table, <c>entries(key TEXT PRIMARY KEY, value BLOB, created INTEGER)</c>; values are the
/// JSON responses written by the cache decorator. No request headers, credentials or endpoints are
/// stored.</para>
/// <para>A file that is not a SQLite database, or fails SQLite's <c>PRAGMA quick_check</c> when opened, or reports
/// corruption later, is set aside — renamed to <c>&lt;file&gt;.corrupt-&lt;UTC timestamp&gt;</c> (its write-ahead
/// log alongside) — and a fresh, empty cache is created in its place. Each such incident is logged once as a warning
/// (event id 1100) and recorded in <see cref="SetAsidePath"/>; work goes on with the fresh cache.</para>
/// </remarks>
public sealed partial class SqliteCacheStore : ILanguageModelCacheStore, IDisposable
{
    // SQLite primary result codes that mean the file's content is damaged (not that it is busy or unreachable).
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly object _gate = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _connectionString;
    private SqliteConnection _connection;
    private bool _disposed;

    /// <summary>Opens the cache file at <paramref name="path"/>, creating it (and its folder) when absent.</summary>
    /// <param name="path">The database file, for example <c>runs/cache.db</c>.</param>
    /// <param name="logger">Receives the warning when a corrupted file is set aside.</param>
    /// <param name="timeProvider">Clock for entry timestamps and set-aside file names; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be opened or created for a reason other than corruption (permissions, a missing drive, a lock held too long).</exception>
    public SqliteCacheStore(string path, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // One long-lived connection guarded by a lock: pooled connections would keep the file open after Dispose
            // and stop a corrupted file from being renamed on Windows.
            Pooling = false,
        }.ToString();

        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connection = OpenOrRecover();
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Where the last corrupted file was moved, or <see langword="null"/> when none was found.</summary>
    public string? SetAsidePath { get; private set; }

    /// <summary>Counts the stored entries.</summary>
    /// <returns>The number of entries.</returns>
    public long Count()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM entries;";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    /// <inheritdoc />
    public ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return ValueTask.FromResult(Read(key));
            }
            catch (SqliteException ex) when (IsCorruption(ex))
            {
                Recover(ex.Message);
                return ValueTask.FromResult<byte[]?>(null);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                Write(key, value);
            }
            catch (SqliteException ex) when (IsCorruption(ex))
            {
                Recover(ex.Message);
                Write(key, value);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _connection.Dispose();
            }
        }
    }

    private static bool IsCorruption(SqliteException ex) => ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase;

    private byte[]? Read(string key)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT value FROM entries WHERE key = $key;";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as byte[];
    }

    private void Write(string key, byte[] value)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO entries (key, value, created) VALUES ($key, $value, $created);";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.Parameters.AddWithValue("$created", _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    private SqliteConnection OpenOrRecover()
    {
        try
        {
            return OpenAndCheck();
        }
        catch (CorruptCacheFileException ex)
        {
            SetAside(ex.Message);
        }
        catch (SqliteException ex) when (IsCorruption(ex))
        {
            SetAside(ex.Message);
        }
        catch (SqliteException ex)
        {
            throw new IOException($"Cannot open the language model cache file '{Path}': {ex.Message}", ex);
        }

        return OpenAndCheck();
    }

    private void Recover(string reason)
    {
        _connection.Dispose();
        SetAside(reason);
        _connection = OpenAndCheck();
    }

    private SqliteConnection OpenAndCheck()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, "PRAGMA synchronous = NORMAL;");
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check;";
                var result = check.ExecuteScalar() as string;
                if (!string.Equals(result, "ok", StringComparison.Ordinal))
                {
                    throw new CorruptCacheFileException($"PRAGMA quick_check reported: {result ?? "nothing"}");
                }
            }

            Execute(connection, "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL, created INTEGER NOT NULL);");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void SetAside(string reason)
    {
        var stamp = _timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var target = $"{Path}.corrupt-{stamp}";
        for (var n = 2; File.Exists(target); n++)
        {
            target = $"{Path}.corrupt-{stamp}-{n}";
        }

        File.Move(Path, target);
        // Keep the write-ahead log with the file it belongs to (SQLite looks for "<name>-wal"); the shared-memory
        // index is rebuilt from them, so it is simply dropped.
        foreach (var sidecar in new[] { "-wal", "-journal" })
        {
            if (File.Exists(Path + sidecar))
            {
                File.Move(Path + sidecar, target + sidecar);
            }
        }

        if (File.Exists(Path + "-shm"))
        {
            File.Delete(Path + "-shm");
        }

        SetAsidePath = target;
        Log.FileSetAside(_logger, Path, reason, target);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LanguageModelLogEvents.CacheFileSetAside, Level = LogLevel.Warning,
            Message = "The language model cache file '{Path}' is unreadable or corrupted ({Reason}). It was moved to '{SetAsidePath}' and a fresh cache is used; earlier responses will be requested again.")]
        public static partial void FileSetAside(ILogger logger, string path, string reason, string setAsidePath);
    }

    private sealed class CorruptCacheFileException(string message) : Exception(message);
}
