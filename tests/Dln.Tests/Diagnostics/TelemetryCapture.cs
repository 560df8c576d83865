using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DeepLanguageNetworks.Tests.Diagnostics;

/// <summary>Collects the spans and metrics of the "Dln" sources with OpenTelemetry's in-memory exporters.</summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly TracerProvider _tracer;
    private readonly MeterProvider _meter;

    public TelemetryCapture()
    {
        _tracer = Sdk.CreateTracerProviderBuilder().AddSource(Telemetry.Name).AddInMemoryExporter(_spans).Build()!;
        _meter = Sdk.CreateMeterProviderBuilder().AddMeter(Telemetry.Name).AddInMemoryExporter(_metrics).Build()!;
    }

    /// <summary>Every finished span, flushed.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            _tracer.ForceFlush();
            lock (_spans)
            {
                return _spans.ToArray();
            }
        }
    }

    /// <summary>The points of one metric after a final collection (cumulative), empty when it was never recorded.</summary>
    public IReadOnlyList<MetricPoint> Points(string name)
    {
        _meter.ForceFlush();
        return _metrics.LastOrDefault(m => m.Name == name)?.MetricPoints ?? [];
    }

    public static IReadOnlyDictionary<string, object?> TagsOf(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    public void Dispose()
    {
        _tracer.Dispose();
        _meter.Dispose();
    }
}
