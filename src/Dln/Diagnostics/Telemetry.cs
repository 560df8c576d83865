using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace DeepLanguageNetworks;

/// <summary>
/// The library's tracing and metrics sources, both named <see cref="Name"/> (<c>Dln</c>). Subscribe with OpenTelemetry
/// (<c>.AddSource("Dln")</c>, <c>.AddMeter("Dln")</c>) or any <see cref="ActivityListener"/> / <see cref="MeterListener"/>.
/// Nothing is recorded, and almost nothing is spent, while no one listens.
/// </summary>
/// <remarks>
/// <para>Spans: <c>dln.train</c> (a whole training session) → <c>dln.iteration</c> → phases <c>dln.forward</c>,
/// <c>dln.posterior</c>, <c>dln.propose</c>, <c>dln.score</c> (the last three tagged <c>dln.layer</c> and <c>dln.node</c>,
/// the layer's index and its node name); <c>dln.validate</c> (a dev evaluation, under
/// <c>dln.train</c>); and one client span per language model call, named <c>{gen_ai.operation.name} {gen_ai.request.model}</c>
/// by the telemetry decorator (<see cref="LanguageModelBuilderExtensions.UseTelemetry"/>) after OpenTelemetry's GenAI conventions (attributes
/// <c>gen_ai.operation.name</c>, <c>gen_ai.provider.name</c>, <c>gen_ai.request.model</c>, <c>gen_ai.request.temperature</c>,
/// <c>gen_ai.request.max_tokens</c>, <c>gen_ai.usage.input_tokens</c>, <c>gen_ai.usage.output_tokens</c>, and
/// <c>dln.call.role</c>, <c>dln.call.layer</c>, <c>dln.cache.hit</c>). Prompt and response texts are never recorded.</para>
/// <para>Generation is reported as the GenAI operation <c>text_completion</c>; the two scoring operations, which the
/// conventions do not name, as <c>next_token_logprobs</c> and <c>score_continuation</c>.</para>
/// <para>Metrics: counter <c>dln.calls</c> (every request, tags <c>gen_ai.operation.name</c>, <c>dln.call.role</c>,
/// <c>dln.cache.hit</c>, <c>gen_ai.request.model</c>, <c>gen_ai.provider.name</c>, and <c>error.type</c> on failures);
/// counter <c>dln.cache.hits</c>; histogram <c>gen_ai.client.token.usage</c> (tokens spent by backend calls, tag
/// <c>gen_ai.token.type</c> = <c>input</c> or <c>output</c>; cache hits spend none); histogram
/// <c>gen_ai.client.operation.duration</c> in seconds.</para>
/// </remarks>
public static class Telemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> and of the <see cref="System.Diagnostics.Metrics.Meter"/>: <c>Dln</c>.</summary>
    public const string Name = "Dln";

    /// <summary>The version reported by both sources: the library's informational version.</summary>
    public static string Version { get; } =
        typeof(Telemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Telemetry).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>The source of the library's spans.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, Version);

    /// <summary>The source of the library's metrics.</summary>
    public static Meter Meter { get; } = new(Name, Version);
}
