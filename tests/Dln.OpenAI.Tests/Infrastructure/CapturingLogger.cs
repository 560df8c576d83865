using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>An <see cref="ILogger"/> that keeps every formatted message (and exception text) at every level, for assertions.</summary>
public sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId EventId, string Text)> _entries = new();

    /// <summary>The entries logged so far.</summary>
    public IReadOnlyList<(LogLevel Level, EventId EventId, string Text)> Entries => _entries.ToArray();

    /// <summary>Everything logged, as one text.</summary>
    public string AllText => string.Join("\n", _entries.Select(e => e.Text));

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = formatter(state, exception);
        if (state is IEnumerable<KeyValuePair<string, object?>> properties)
        {
            // Structured values too: a sink that stores properties separately must not receive a secret either.
            text += " | " + string.Join("; ", properties.Select(p => $"{p.Key}={p.Value}"));
        }

        if (exception is not null)
        {
            text += " | " + exception;
        }

        _entries.Enqueue((logLevel, eventId, text));
    }
}
