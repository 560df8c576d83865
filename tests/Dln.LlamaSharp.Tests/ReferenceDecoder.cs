using LLama;
using LLama.Common;
using LLama.Native;

namespace DeepLanguageNetworks.LlamaSharp.Tests;

/// <summary>
/// An independent, deliberately plain scorer written against LLamaSharp directly: it feeds one token per decode call
/// and reads the log-probability of the next token each time. The backend under test must agree with it.
/// </summary>
public sealed class ReferenceDecoder : IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;

    public ReferenceDecoder(string modelPath)
    {
        // Same numeric settings as the backend's default (32-bit key/value cache, no flash attention), one sequence.
        var parameters = new ModelParams(modelPath)
        {
            ContextSize = 512,
            BatchSize = 512,
            Threads = 1,
            TypeK = GGMLType.GGML_TYPE_F32,
            TypeV = GGMLType.GGML_TYPE_F32,
            FlashAttention = false,
        };
        _weights = LLamaWeights.LoadFromFile(parameters);
        _context = _weights.CreateContext(parameters);
    }

    /// <summary>The per-token log-probabilities of the continuation's tokens, found by token-by-token decoding.</summary>
    public List<double> ScoreStepByStep(string context, string continuation)
    {
        var contextTokens = _context.Tokenize(context, addBos: true, special: false);
        var tokens = _context.Tokenize(context + continuation, addBos: true, special: false);
        var common = 0;
        while (common < contextTokens.Length && common < tokens.Length && contextTokens[common] == tokens[common])
        {
            common++;
        }

        _context.NativeHandle.MemoryClear(true);
        var batch = new LLamaBatch();
        var scores = new List<double>();
        for (var position = 0; position < tokens.Length - 1; position++)
        {
            batch.Clear();
            var index = batch.Add(tokens[position], position, LLamaSeqId.Zero, logits: true);
            Assert.Equal(DecodeResult.Ok, _context.Decode(batch));
            if (position + 1 >= common)
            {
                scores.Add(LogSoftmax(_context.NativeHandle.GetLogitsIth(index), (int)tokens[position + 1]));
            }
        }

        return scores;
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }

    private static double LogSoftmax(Span<float> logits, int token)
    {
        double max = logits[0];
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }

        var sum = 0.0;
        foreach (var value in logits)
        {
            sum += Math.Exp(value - max);
        }

        return logits[token] - max - Math.Log(sum);
    }
}
