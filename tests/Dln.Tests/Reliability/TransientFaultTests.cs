using DeepLanguageNetworks.Tests.Scripted;
using DeepLanguageNetworks.Tests.Training;
using Xunit.Abstractions;

namespace DeepLanguageNetworks.Tests.Reliability;

/// <summary>
/// Training through the trainer's default runtime decorators (cache, retry, concurrency limit) on a backend that fails
/// 20% of its attempts ends exactly where a run on a healthy backend ends: retries absorb every fault, and no result
/// depends on timing or completion order.
/// </summary>
public class TransientFaultTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("dln1")]
    [InlineData("dln2")]
    public async Task Twenty_percent_transient_faults_give_the_prompts_and_history_of_a_fault_free_run(string name)
    {
        var scenario = FaultScenario.Get(name);
        using var world = new ScriptedWorldModel(scenario.Task);
        var clean = await scenario.TrainAsync(world);

        // 20% of attempts fail (12% HTTP 503, 5% client timeouts, 3% hangs cut by the attempt timeout); another 10%
        // answer late, which reorders completions.
        var faulty = new FaultInjectingLanguageModel(world, FaultInjectingLanguageModel.Seeded(seed: 2024, transient: 0.12, timeout: 0.05, hang: 0.03, latencySpike: 0.10));
        var result = await scenario.TrainAsync(faulty);

        output.WriteLine($"{name}: {faulty.Injected(FaultKind.None)} clean attempts; injected {faulty.Injected(FaultKind.Transient)} transient, " +
            $"{faulty.Injected(FaultKind.Timeout)} timeouts, {faulty.Injected(FaultKind.Hang)} hangs, {faulty.Injected(FaultKind.LatencySpike)} latency spikes; " +
            $"best dev {result.BestDevAccuracy:0.000}");
        Assert.All(new[] { FaultKind.Transient, FaultKind.Timeout, FaultKind.Hang, FaultKind.LatencySpike }, k => Assert.True(faulty.Injected(k) > 0, $"no {k} fault was injected"));
        var failureRate = (double)faulty.Failures / (faulty.Injected(FaultKind.None) + faulty.Faults);
        Assert.InRange(failureRate + ((double)faulty.Injected(FaultKind.Hang) / (faulty.Injected(FaultKind.None) + faulty.Faults)), 0.15, 0.25);

        // Every fault was retried away: no call failed, no iteration was skipped for an error, and the run is the clean one.
        Assert.Equal(0, result.Usage.Total.Failures);
        Assert.All(result.History, h => Assert.Null(h.Error));
        Assert.Equal(clean.BestPrompts, result.BestPrompts);
        Assert.Equal(RunRecord.Of(clean, accounting: false), RunRecord.Of(result, accounting: false));
        Assert.True(result.BestDevAccuracy >= 0.9, $"best dev {result.BestDevAccuracy}");
    }
}
