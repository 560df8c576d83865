using System.Diagnostics.Metrics;

namespace DeepLanguageNetworks;

/// <summary>The library's metric instruments, created once on <see cref="Telemetry.Meter"/>.</summary>
internal static class TelemetryInstruments
{
    // Bucket boundaries advised by the GenAI semantic conventions for these two histograms.
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>Whether any listener collects one of the instruments (so tags need not be built for nobody).</summary>
    public static bool AnyEnabled => Calls.Enabled || CacheHits.Enabled || TokenUsage.Enabled || OperationDuration.Enabled;

    public static Counter<long> Calls { get; } = Telemetry.Meter.CreateCounter<long>(
        TelemetryNames.CallsCounter, "{call}", "Language model requests, cache hits included (tag dln.cache.hit).");

    public static Counter<long> CacheHits { get; } = Telemetry.Meter.CreateCounter<long>(
        TelemetryNames.CacheHitsCounter, "{call}", "Language model requests answered by a cache or by an identical concurrent call.");

    public static Histogram<long> TokenUsage { get; } = Telemetry.Meter.CreateHistogram(
        TelemetryNames.TokenUsageHistogram, "{token}", "Tokens spent per backend call, by gen_ai.token.type (cache hits spend none).",
        tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });

    public static Histogram<double> OperationDuration { get; } = Telemetry.Meter.CreateHistogram(
        TelemetryNames.OperationDurationHistogram, "s", "Duration of language model requests.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
}
