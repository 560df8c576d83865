namespace DeepLanguageNetworks.Tests.Diagnostics;

/// <summary>
/// Tests that listen to the process-wide "Dln" sources run alone: a training in a parallel test would add its spans and
/// metrics to theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
