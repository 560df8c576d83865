using System.Security.Cryptography;
using System.Text;

namespace DeepLanguageNetworks.Tests.Fakes;

/// <summary>
/// A deterministic model whose every answer is a hash of its request: class scores look random (so batches always
/// contain errors and no update is skipped) and every proposal is distinct. Counts its calls.
/// </summary>
internal sealed class HashingLanguageModel : ILanguageModel
{
    private long _calls;

    public LanguageModelMetadata Metadata { get; } = new("test", "hashing", new LanguageModelCapabilities
    {
        NextTokenLogProbabilities = true,
        MaxTopLogProbabilities = 20,
        ContinuationLogProbabilities = true,
        Deterministic = true,
        DefaultMaxConcurrency = 8,
    });

    public long Calls => Interlocked.Read(ref _calls);

    public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var h = Hash($"{request.Seed}:{request.SampleIndex}:{request.Prompt}");
        return Task.FromResult(new GenerationResponse($"Idea {h % 100_000} about the task.", new LanguageModelUsage(request.Prompt.Length / 4, 6)));
    }

    public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var yes = 0.05 + (0.9 * (Hash(request.Context) % 1000) / 1000.0);
        return Task.FromResult(new NextTokenResponse([new(" yes", Math.Log(yes)), new(" no", Math.Log(1 - yes))], new LanguageModelUsage(request.Context.Length / 4, 1)));
    }

    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var h = Hash(request.Context + "\u0001" + request.Continuation);
        var tokens = request.Continuation.Split(' ').Select((w, i) => new TokenLogProbability(w, -0.1 - ((h >> (i % 40)) % 300 / 100.0))).ToArray();
        return Task.FromResult(new ContinuationResponse(tokens, new LanguageModelUsage(request.Context.Length / 4, 0)));
    }

    public void Dispose()
    {
    }

    private static ulong Hash(string text) => BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
