using System.Collections.Concurrent;

namespace DeepLanguageNetworks.Tests;

/// <summary>The one protected path of <see cref="DelegatingLanguageModel"/>: one override sees every operation.</summary>
public class DelegatingLanguageModelTests
{
    /// <summary>A decorator that treats every call alike: one method, no per-operation code.</summary>
    private sealed class RecordingDecorator(ILanguageModel inner) : DelegatingLanguageModel(inner)
    {
        public ConcurrentQueue<(LanguageModelOperation Operation, LanguageModelResponse Response)> Seen { get; } = new();

        protected override async Task<TResponse> InvokeAsync<TResponse>(
            LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
        {
            var response = await next(request, cancellationToken);
            Seen.Enqueue((request.Operation, response));
            return response;
        }
    }

    /// <summary>Changes every request on its way down, whatever the operation.</summary>
    private sealed class PurposeStamping(ILanguageModel inner, CallPurpose purpose) : DelegatingLanguageModel(inner)
    {
        protected override Task<TResponse> InvokeAsync<TResponse>(
            LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken) =>
            next(request with { Purpose = purpose }, cancellationToken);
    }

    /// <summary>Overrides one operation's public method: that operation leaves the shared path.</summary>
    private sealed class ContinuationOverride(ILanguageModel inner) : DelegatingLanguageModel(inner)
    {
        public int HookCalls;

        public override Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ContinuationResponse([new TokenLogProbability("x", -1)], LanguageModelUsage.Zero));

        protected override Task<TResponse> InvokeAsync<TResponse>(
            LanguageModelRequest request, Func<LanguageModelRequest, CancellationToken, Task<TResponse>> next, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref HookCalls);
            return next(request, cancellationToken);
        }
    }

    [Fact]
    public async Task A_decorator_with_one_override_sees_all_three_operations_with_their_responses()
    {
        var backend = new CountingLanguageModel();
        using var model = new RecordingDecorator(backend);

        var generated = await model.GenerateAsync(new GenerationRequest("Q"));
        var next = await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Q", 3));
        var scored = await model.ScoreContinuationAsync(new ContinuationRequest("Q", " A"));

        Assert.Equal(3, backend.Started);
        Assert.Equal(
            [LanguageModelOperation.Generation, LanguageModelOperation.NextTokenLogProbabilities, LanguageModelOperation.ContinuationLogProbabilities],
            model.Seen.Select(s => s.Operation));
        Assert.Equal<LanguageModelResponse>([generated, next, scored], model.Seen.Select(s => s.Response));
    }

    [Fact]
    public async Task A_request_changed_in_the_hook_reaches_the_inner_model_as_the_same_operation()
    {
        var backend = new CountingLanguageModel();
        var stamp = new CallPurpose(CallRole.Scoring, 1);
        using var model = new PurposeStamping(backend, stamp);

        await model.GenerateAsync(new GenerationRequest("Q") { Temperature = 0.5, SampleIndex = 2 });
        await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Q"));
        await model.ScoreContinuationAsync(new ContinuationRequest("Q", " A"));

        var requests = backend.Requests.Cast<LanguageModelRequest>().ToArray();
        Assert.All(requests, r => Assert.Equal(stamp, r.Purpose));
        var generation = Assert.IsType<GenerationRequest>(requests[0]);
        Assert.Equal((0.5, 2), (generation.Temperature, generation.SampleIndex));
        Assert.IsType<NextTokenRequest>(requests[1]);
        Assert.IsType<ContinuationRequest>(requests[2]);
    }

    [Fact]
    public async Task Overriding_an_operations_public_method_takes_only_that_operation_out_of_the_hook()
    {
        var backend = new CountingLanguageModel();
        using var model = new ContinuationOverride(backend);

        await model.GenerateAsync(new GenerationRequest("Q"));
        await model.GetNextTokenLogProbabilitiesAsync(new NextTokenRequest("Q"));
        var scored = await model.ScoreContinuationAsync(new ContinuationRequest("Q", " A"));

        Assert.Equal(2, model.HookCalls);
        Assert.Equal(2, backend.Started);
        Assert.Equal("x", Assert.Single(scored.Tokens).Token);
    }

    [Fact]
    public async Task A_null_request_is_rejected_before_the_hook_for_every_operation()
    {
        using var model = new RecordingDecorator(new CountingLanguageModel());

        await Assert.ThrowsAsync<ArgumentNullException>(() => model.GenerateAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => model.GetNextTokenLogProbabilitiesAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => model.ScoreContinuationAsync(null!));
        Assert.Empty(model.Seen);
    }
}
