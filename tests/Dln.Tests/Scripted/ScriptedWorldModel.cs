using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// A deterministic stand-in for a frozen LLM that plays every role of a training run: it recognises from the text
/// whether it is asked for an output-layer answer (class scoring or greedy generation), a hidden text (greedy forward
/// pass, or a posterior sample at a temperature above 0, with or without the "Expected outcome" hint), the score of a
/// hidden text (teacher forcing) or a prompt proposal (the backward meta-prompt), and answers as its
/// <see cref="ScriptedTask"/> says. A call it does not recognise fails loudly.
/// </summary>
/// <remarks>
/// Stateless apart from thread-safe call counters; each call yields to the thread pool first, so concurrent calls
/// really run concurrently and complete in no particular order. Randomness comes only from a request's
/// <see cref="GenerationRequest.Seed"/> and <see cref="GenerationRequest.SampleIndex"/>.
/// </remarks>
internal sealed partial class ScriptedWorldModel : ILanguageModel
{
    private static readonly string[] FillerTokens = ["The", "\n", "I"];
    private readonly ScriptedTask _task;
    private long _generations;
    private long _nextTokenCalls;
    private long _continuationCalls;

    public ScriptedWorldModel(ScriptedTask task, LanguageModelCapabilities? capabilities = null, string modelId = "world")
    {
        _task = task;
        Metadata = new LanguageModelMetadata("scripted", modelId, capabilities ?? AllCapabilities);
    }

    /// <summary>Generation, next-token top-k (up to 20) and continuation scoring, like a local model.</summary>
    public static LanguageModelCapabilities AllCapabilities { get; } = new()
    {
        NextTokenLogProbabilities = true,
        MaxTopLogProbabilities = 20,
        ContinuationLogProbabilities = true,
        Deterministic = true,
        DefaultMaxConcurrency = 16,
    };

    /// <summary>Generation and next-token top-k but no teacher forcing, like a hosted chat API.</summary>
    public static LanguageModelCapabilities ChatLikeCapabilities { get; } = new()
    {
        NextTokenLogProbabilities = true,
        MaxTopLogProbabilities = 20,
        Deterministic = true,
        DefaultMaxConcurrency = 16,
    };

    public LanguageModelMetadata Metadata { get; }

    public long Generations => Interlocked.Read(ref _generations);

    public long NextTokenCalls => Interlocked.Read(ref _nextTokenCalls);

    public long ContinuationCalls => Interlocked.Read(ref _continuationCalls);

    public long Calls => Generations + NextTokenCalls + ContinuationCalls;

    public async Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        Metadata.Capabilities.Require(LanguageModelOperation.Generation, Metadata.ToString());
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _generations);
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();

        string text;
        var prompt = request.Prompt;
        if (ContextParser.TryParseMetaPrompt(prompt, out var meta))
        {
            text = _task.Propose(meta, SeededRandom.For(request.Seed, request.SampleIndex));
        }
        else if (ContextParser.TryParseHidden(prompt, out var hidden))
        {
            text = request.Temperature > 0 ? _task.SampleThought(hidden, SeededRandom.For(request.Seed, request.SampleIndex)) : _task.Think(hidden);
        }
        else if (ContextParser.TryParseOutput(prompt, out var output))
        {
            text = _task.Answer(output);
        }
        else
        {
            throw Unrecognised("generation", prompt);
        }

        text = StopSequences.Cut(text, request.StopSequences);
        return new GenerationResponse(text, new LanguageModelUsage(CountTokens(prompt), Math.Max(1, CountTokens(text)))) { FinishReason = FinishReason.Stop };
    }

    public async Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        Metadata.Capabilities.Require(LanguageModelOperation.NextTokenLogProbabilities, Metadata.ToString());
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _nextTokenCalls);
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        if (!request.Context.EndsWith('\n') || !ContextParser.TryParseOutput(request.Context, out var call))
        {
            throw Unrecognised("next-token", request.Context);
        }

        // 90% of the mass on spellings of the classes (label, space-prefixed label, capitalised label), 10% on
        // filler tokens, as a real model spreads probability over formatting tokens.
        var p = _task.AnswerProbabilities(call);
        var tokens = new List<TokenLogProbability>();
        for (var c = 0; c < _task.Labels.Count; c++)
        {
            var label = _task.Labels[c];
            var mass = 0.9 * p[c];
            tokens.Add(new TokenLogProbability(label, Math.Log(0.6 * mass)));
            tokens.Add(new TokenLogProbability(" " + label, Math.Log(0.25 * mass)));
            tokens.Add(new TokenLogProbability(char.ToUpperInvariant(label[0]) + label[1..], Math.Log(0.15 * mass)));
        }

        tokens.AddRange(FillerTokens.Select((t, i) => new TokenLogProbability(t, Math.Log(0.1 / (2 << i)))));
        var top = tokens.Where(t => double.IsFinite(t.LogProbability)).OrderByDescending(t => t.LogProbability).Take(request.TopK).ToArray();
        return new NextTokenResponse(top, new LanguageModelUsage(CountTokens(request.Context), 1));
    }

    public async Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        Metadata.Capabilities.Require(LanguageModelOperation.ContinuationLogProbabilities, Metadata.ToString());
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _continuationCalls);
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        if (!ContextParser.TryParseHidden(request.Context, out var call) || call.Hint is not null || !request.Continuation.StartsWith('\n'))
        {
            throw Unrecognised("continuation", request.Context + " ⟶ " + request.Continuation);
        }

        // The layer scores "\n" + text; the world judges the text and gives every token the same log-probability,
        // so the mean per token is exactly the task's number.
        var logProbability = _task.ThoughtLogProbability(call, request.Continuation[1..]);
        var tokens = Token().Matches(request.Continuation).Select(m => new TokenLogProbability(m.Value, logProbability)).ToArray();
        return new ContinuationResponse(tokens, new LanguageModelUsage(CountTokens(request.Context) + tokens.Length, 0));
    }

    public void Dispose()
    {
    }

    private static int CountTokens(string text) => Token().Count(text);

    private static InvalidOperationException Unrecognised(string operation, string text) =>
        new($"The scripted world does not recognise this {operation} call: \"{(text.Length <= 300 ? text : text[..300] + "…")}\"");

    [GeneratedRegex(@"\n|[^\S\n]*\S+")]
    private static partial Regex Token();
}
