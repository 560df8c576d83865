namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>Counters of the work a <see cref="LlamaSharpLanguageModel"/> has done since it was created.</summary>
/// <param name="DecodeCalls">llama.cpp decode calls, for scoring and generation.</param>
/// <param name="ScoringBatches">Scoring rounds: groups of requests evaluated together (one or more decode calls each).</param>
/// <param name="ScoredSequences">Scoring requests evaluated (continuation and next-token requests).</param>
/// <param name="ScoredTokens">Tokens in those requests, counting each request's full context.</param>
/// <param name="EvaluatedScoringTokens">Tokens actually computed for them; fewer than <paramref name="ScoredTokens"/> when prefixes were shared.</param>
/// <param name="GenerationCalls">Generation requests served.</param>
/// <param name="GeneratedTokens">Tokens sampled by those requests, end-of-sequence tokens included.</param>
public sealed record LlamaSharpStatistics(
    long DecodeCalls,
    long ScoringBatches,
    long ScoredSequences,
    long ScoredTokens,
    long EvaluatedScoringTokens,
    long GenerationCalls,
    long GeneratedTokens)
{
    /// <summary>Scored tokens that were not recomputed because their key/value cache was shared with another request.</summary>
    public long ReusedTokens => ScoredTokens - EvaluatedScoringTokens;
}
