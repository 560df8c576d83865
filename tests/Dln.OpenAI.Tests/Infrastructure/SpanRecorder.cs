using System.Diagnostics;

namespace DeepLanguageNetworks.OpenAI.Tests;

/// <summary>Records the spans of one <see cref="ActivitySource"/> while it lives (M.E.AI's OpenTelemetry middleware, for one).</summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly ActivityListener _listener;

    /// <summary>Starts listening.</summary>
    /// <param name="sourceName">The source; M.E.AI's default by default.</param>
    public SpanRecorder(string sourceName = "Experimental.Microsoft.Extensions.AI")
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (_spans)
                {
                    _spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans stopped so far.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
