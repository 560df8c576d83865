using System.Security.Cryptography;
using System.Text;

namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// A model (usually the scripted world) with noise on its class log-probabilities: a deterministic function of the
/// context and the token, up to ±2 nats. Small batches then sometimes prefer prompts that are worse on dev, so that
/// validations measure prompts below the best (and can stop early).
/// </summary>
internal sealed class NoisyClassScoresModel(ILanguageModel inner) : DelegatingLanguageModel(inner)
{
    public override async Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        var response = await base.GetNextTokenLogProbabilitiesAsync(request, cancellationToken);
        return response with { TopTokens = response.TopTokens.Select(t => t with { LogProbability = t.LogProbability + Noise(request.Context, t.Token.Trim().ToLowerInvariant()) }).ToArray() };
    }

    private static double Noise(string context, string token) =>
        ((BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(context + "|" + token))) % 1000 / 1000.0) - 0.5) * 4;
}
