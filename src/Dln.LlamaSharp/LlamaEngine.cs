using System.Runtime.InteropServices;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using LLama.Sampling;

namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>
/// Owns the llama.cpp model and its one context. Not thread-safe: only the model's inference loop calls it.
/// </summary>
/// <remarks>
/// <para><b>Scoring rounds.</b> A round evaluates up to <see cref="MaxSequences"/> scoring jobs in as few decode calls
/// as the batch size allows. Each job is one llama.cpp sequence (ids 1..n). With prefix reuse on, the jobs' tokens are
/// laid out as a prefix tree: a token shared by several jobs at the same position is added to the batch once, tagged
/// with all their sequence ids, so its key/value cache entry is computed once and seen by each of them (llama.cpp's
/// unified cache lets one cell belong to several sequences). Logits of a shared token serve every job that needs them.</para>
/// <para><b>Prefix kept between rounds.</b> After a round the prefix common to all its jobs stays in the cache as
/// sequence 0. The next round keeps as much of it as every one of its jobs starts with and copies it into their
/// sequences with <c>llama_memory_seq_cp</c> (<see cref="SafeLLamaContextHandle.MemorySequenceCopy"/>), which shares the
/// cells without recomputing them, so a long prompt scored on many inputs is evaluated once rather than once per round.
/// The kept part never reaches a position whose logits a job needs, since logits are not cached.</para>
/// <para>Both forms are exact: a cell holds the same keys and values whichever sequences share it, and the attention
/// mask lets each query see only its own sequence. Tests compare them with fresh one-sequence scoring to 1e-4.</para>
/// </remarks>
internal sealed class LlamaEngine : IDisposable
{
    private const int MaxDefaultContextSize = 4096;
    private static readonly LLamaSeqId KeptPrefixSequence = LLamaSeqId.Zero;

    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly SafeLlamaModelHandle.Vocabulary _vocabulary;
    private readonly LlamaSharpModelOptions _options;
    private readonly LLamaBatch _batch = new();
    private readonly string?[] _tokenTexts;
    private int[] _keptPrefix = [];

    private long _decodeCalls;
    private long _scoringBatches;
    private long _scoredSequences;
    private long _scoredTokens;
    private long _evaluatedScoringTokens;
    private long _generationCalls;
    private long _generatedTokens;

    private LlamaEngine(string modelPath, LLamaWeights weights, LLamaContext context, LlamaSharpModelOptions options, int contextSize, int batchSize)
    {
        ModelPath = modelPath;
        if (options.ApplyChatTemplate)
        {
            GgufChatTemplate.Read(weights, out var template, out var unsupported);
            ChatTemplate = template;
            UnsupportedChatTemplate = unsupported;
        }

        _weights = weights;
        _context = context;
        _options = options with
        {
            ContextSize = contextSize,
            BatchSize = batchSize,

            // A recurrent model's state cannot be cut at a position or shared between sequences: it gets batching only.
            EnablePrefixReuse = options.EnablePrefixReuse && !weights.NativeHandle.IsRecurrent,
        };
        _vocabulary = weights.Vocab;
        ContextSize = contextSize;
        BatchSize = batchSize;
        VocabularySize = _vocabulary.Count;
        TrainedContextLength = weights.ContextSize;
        _tokenTexts = new string?[VocabularySize];
    }

    /// <summary>The full path of the loaded model file.</summary>
    public string ModelPath { get; }

    /// <summary>The settings in effect: context and batch sizes resolved, prefix reuse off for recurrent models.</summary>
    public LlamaSharpModelOptions Options => _options;

    /// <summary>The context window in tokens (the option, or the model's training context capped at 4096).</summary>
    public int ContextSize { get; }

    /// <summary>The most tokens per decode call.</summary>
    public int BatchSize { get; }

    /// <summary>The most scoring jobs per round.</summary>
    public int MaxSequences => _options.MaxSequencesPerBatch;

    /// <summary>The number of entries in the model's vocabulary.</summary>
    public int VocabularySize { get; }

    /// <summary>The tokens kept in the cache (as sequence 0) since the last scoring round.</summary>
    public int[] KeptPrefix => _keptPrefix;

    /// <summary>The context length the model was trained with (from the GGUF header).</summary>
    public int TrainedContextLength { get; }

    /// <summary>The chat template applied to generation prompts; <see langword="null"/> when there is none, it is turned off, or llama.cpp does not recognise it.</summary>
    public GgufChatTemplate? ChatTemplate { get; }

    /// <summary>The file's chat template when llama.cpp does not recognise it (generation then reads the raw prompt).</summary>
    public string? UnsupportedChatTemplate { get; }

    /// <summary>Loads the model and creates its context.</summary>
    /// <param name="modelPath">Full path of an existing GGUF file.</param>
    /// <param name="options">The settings.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="InvalidDataException">The file is not a loadable GGUF model.</exception>
    public static LlamaEngine Load(string modelPath, LlamaSharpModelOptions options)
    {
        var parameters = new ModelParams(modelPath)
        {
            GpuLayerCount = 0,
            Threads = options.Threads,
            BatchThreads = options.Threads,

            // One cache shared by all sequences: a cell can then belong to several sequences (shared prefixes).
            KVUnified = true,
        };
        if (options.FullPrecisionAttention)
        {
            // 16-bit keys/values and flash attention round differently for one query than for a batch of queries
            // (measured: 2e-3 to 5e-3 nats over 11 tokens); in 32 bits without flash attention it is 3e-6.
            parameters.TypeK = GGMLType.GGML_TYPE_F32;
            parameters.TypeV = GGMLType.GGML_TYPE_F32;
            parameters.FlashAttention = false;
        }

        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (LoadWeightsFailedException exception)
        {
            throw new InvalidDataException(
                $"llama.cpp could not load the model file '{modelPath}'. It is damaged or truncated, is not a GGUF model, or uses an " +
                "architecture or tensor type this version of llama.cpp (LLamaSharp 0.30.0) does not support.",
                exception);
        }

        if (weights.NativeHandle.HasEncoder)
        {
            weights.Dispose();
            throw new NotSupportedException($"The model '{modelPath}' is an encoder-decoder model (such as T5); only decoder-only models are supported.");
        }

        try
        {
            var trained = weights.ContextSize;
            var contextSize = options.ContextSize ?? (trained > 0 ? Math.Min(trained, MaxDefaultContextSize) : MaxDefaultContextSize);
            var batchSize = Math.Min(options.BatchSize ?? Math.Clamp(2 * weights.EmbeddingSize, 64, 512), contextSize);

            // llama.cpp reserves an output row per sequence and asserts (killing the process) when there are more
            // sequences than rows in a batch, so the sequence count is kept below the batch size.
            var maxSequences = Math.Max(1, Math.Min(options.MaxSequencesPerBatch, batchSize - 1));
            var nativeBatchSize = Math.Max(batchSize, maxSequences + 1);
            parameters.ContextSize = (uint)contextSize;
            parameters.BatchSize = (uint)nativeBatchSize;
            parameters.UBatchSize = (uint)nativeBatchSize;

            // Sequence 0 holds the prefix kept between rounds; jobs use 1..maxSequences.
            parameters.SeqMax = (uint)maxSequences + 1;
            var context = weights.CreateContext(parameters);
            return new LlamaEngine(modelPath, weights, context, options with { MaxSequencesPerBatch = maxSequences }, contextSize, batchSize);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            weights.Dispose();
            throw new InvalidOperationException(
                $"llama.cpp loaded '{modelPath}' but could not create an inference context for it (ContextSize, BatchSize and " +
                "MaxSequencesPerBatch decide its memory; try smaller values).",
                exception);
        }
    }

    /// <summary>Tokenizes text as the start of a sequence: the beginning-of-sequence token when the model wants one, then the text.</summary>
    /// <param name="text">The text; special-token markup in it is read as plain text.</param>
    /// <returns>The token ids.</returns>
    public int[] Tokenize(string text)
    {
        // The BOS token is added here rather than by llama.cpp's add_special flag, which would also append an EOS token
        // for models that ask for one and break the context/continuation prefix rule.
        var tokens = text.Length == 0 ? [] : _context.Tokenize(text, addBos: false, special: false);
        var bos = _vocabulary.ShouldAddBOS ? _vocabulary.BOS : null;
        var offset = bos is null ? 0 : 1;
        var result = new int[tokens.Length + offset];
        if (bos is { } bosToken)
        {
            result[0] = (int)bosToken;
        }

        for (var i = 0; i < tokens.Length; i++)
        {
            result[i + offset] = (int)tokens[i];
        }

        return result;
    }

    /// <summary>The text generation feeds the model for <paramref name="prompt"/>: the prompt as the user turn of the chat template, or the prompt itself.</summary>
    /// <param name="prompt">A generation prompt.</param>
    /// <returns>The formatted prompt.</returns>
    public string FormatGenerationPrompt(string prompt) => ChatTemplate?.RenderUserTurn(prompt) ?? prompt;

    /// <summary>
    /// Tokenizes a generation prompt: as <see cref="Tokenize"/> without a chat template; with one, the formatted prompt
    /// with the template's markup read as special tokens.
    /// </summary>
    /// <param name="prompt">A generation prompt.</param>
    /// <returns>The token ids.</returns>
    public int[] TokenizeGenerationPrompt(string prompt)
    {
        if (ChatTemplate is not { } template)
        {
            return Tokenize(prompt);
        }

        // The caller's text is data: markup in it (a learned prompt that happens to contain "<|im_end|>") must stay
        // plain text. When it contains none, the whole formatted text is tokenized at once, exactly as llama.cpp's own
        // chat front ends do; otherwise the template's parts and the message are tokenized apart, which keeps the
        // message plain at the price of the tokens at the two seams.
        if (TokenizeBody(prompt, special: true).AsSpan().SequenceEqual(TokenizeBody(prompt, special: false)))
        {
            return WithBos(TokenizeBody(template.RenderUserTurn(prompt), special: true));
        }

        const string Marker = "\u0001DLN-MESSAGE\u0001";
        var formatted = template.RenderUserTurn(Marker);
        var at = formatted.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException("The model's chat template did not include the message text; set LlamaSharpModelOptions.ApplyChatTemplate = false to send prompts as raw text.");
        }

        int[] tokens = [
            .. TokenizeBody(formatted[..at], special: true),
            .. TokenizeBody(prompt, special: false),
            .. TokenizeBody(formatted[(at + Marker.Length)..], special: true)];
        return WithBos(tokens);
    }

    /// <summary>The text of a token, with SentencePiece's "▁" written as a space; special tokens as their markup (for example <c>&lt;/s&gt;</c>).</summary>
    /// <param name="token">The token id.</param>
    /// <returns>The token's text.</returns>
    public string TokenText(int token)
    {
        if ((uint)token >= (uint)_tokenTexts.Length)
        {
            return string.Empty;
        }

        return _tokenTexts[token] ??= (_vocabulary.LLamaTokenToString(token, isSpecialToken: true) ?? string.Empty).Replace('\u2581', ' ');
    }

    private int[] TokenizeBody(string text, bool special) =>
        text.Length == 0 ? [] : Array.ConvertAll(_context.Tokenize(text, addBos: false, special: special), t => (int)t);

    // Adds the beginning-of-sequence token when the model wants one and the text does not already start with it (a
    // chat template may write it).
    private int[] WithBos(int[] tokens)
    {
        if (!_vocabulary.ShouldAddBOS || _vocabulary.BOS is not { } bos || (tokens.Length > 0 && tokens[0] == (int)bos))
        {
            return tokens;
        }

        return [(int)bos, .. tokens];
    }

    /// <summary>A snapshot of the work counters.</summary>
    /// <returns>The counters.</returns>
    public LlamaSharpStatistics GetStatistics() => new(
        Interlocked.Read(ref _decodeCalls),
        Interlocked.Read(ref _scoringBatches),
        Interlocked.Read(ref _scoredSequences),
        Interlocked.Read(ref _scoredTokens),
        Interlocked.Read(ref _evaluatedScoringTokens),
        Interlocked.Read(ref _generationCalls),
        Interlocked.Read(ref _generatedTokens));

    /// <summary>Forgets everything in the key/value cache, including the prefix kept between rounds.</summary>
    public void ResetMemory()
    {
        _context.NativeHandle.MemoryClear(true);
        _keptPrefix = [];
    }

    /// <summary>Evaluates the jobs of one round and hands each the logits it asked for. Does not complete them.</summary>
    /// <param name="jobs">Prepared jobs that need logits: at most <see cref="MaxSequences"/>, whose distinct tokens fit <see cref="ContextSize"/>.</param>
    public void RunScoringRound(IReadOnlyList<ScoringJob> jobs)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        if (jobs.Count > MaxSequences)
        {
            throw new InvalidOperationException($"A scoring round holds at most {MaxSequences} sequences, not {jobs.Count}.");
        }

        var memory = _context.NativeHandle;
        var reuse = _options.EnablePrefixReuse;
        var kept = reuse ? TrimKeptPrefix(jobs) : 0;
        if (kept == 0)
        {
            ResetMemory();
        }

        var nodes = new List<PrefixTreeNode>();
        var children = reuse ? new Dictionary<(int Parent, int Token), int>() : null;
        long requested = 0;
        for (var k = 0; k < jobs.Count; k++)
        {
            var job = jobs[k];
            var sequence = (LLamaSeqId)(k + 1);
            requested += job.Tokens.Length;
            if (kept > 0)
            {
                memory.MemorySequenceCopy(KeptPrefixSequence, sequence, 0, kept);
            }

            // kept <= FirstLogitPosition < Tokens.Length, so every job adds at least its last needed position.
            var parent = -1;
            for (var position = kept; position < job.Tokens.Length; position++)
            {
                var token = job.Tokens[position];
                if (children is null || !children.TryGetValue((parent, token), out var index))
                {
                    index = nodes.Count;
                    nodes.Add(new PrefixTreeNode(token, position));
                    children?.Add((parent, token), index);
                }

                var node = nodes[index];
                node.Sequences.Add(sequence);
                if (job.NeedsLogitsAt(position))
                {
                    node.Consumers.Add(job);
                }

                parent = index;
            }
        }

        // Nodes were created parents first, so in list order each sequence's positions only grow: any split into
        // consecutive chunks gives llama.cpp, for every sequence, a run of positions continuing what is in the cache.
        var batchIndexes = new int[Math.Min(nodes.Count, BatchSize)];
        for (var start = 0; start < nodes.Count; start += BatchSize)
        {
            var end = Math.Min(nodes.Count, start + BatchSize);
            _batch.Clear();
            for (var i = start; i < end; i++)
            {
                var node = nodes[i];
                batchIndexes[i - start] = _batch.Add(node.Token, node.Position, CollectionsMarshal.AsSpan(node.Sequences), node.Consumers.Count > 0);
            }

            Decode(end - start);
            for (var i = start; i < end; i++)
            {
                var node = nodes[i];
                if (node.Consumers.Count == 0)
                {
                    continue;
                }

                var logits = memory.GetLogitsIth(batchIndexes[i - start]);
                foreach (var consumer in node.Consumers)
                {
                    consumer.AcceptLogits(node.Position, logits, this);
                }
            }
        }

        Interlocked.Increment(ref _scoringBatches);
        Interlocked.Add(ref _scoredSequences, jobs.Count);
        Interlocked.Add(ref _scoredTokens, requested);
        Interlocked.Add(ref _evaluatedScoringTokens, nodes.Count);

        if (reuse)
        {
            KeepCommonPrefix(jobs, kept);
        }
    }

    /// <summary>Generates text after a prompt (greedy at temperature 0, otherwise seeded sampling).</summary>
    /// <param name="request">The request, already validated.</param>
    /// <param name="cancellationToken">Stops generation between tokens.</param>
    /// <param name="onText">Receives the text as it is generated (pieces in order, together the response's text); text
    /// that could still begin a stop sequence is held back until it is known not to.</param>
    /// <returns>The response.</returns>
    public GenerationResponse Generate(GenerationRequest request, CancellationToken cancellationToken, Action<string>? onText = null)
    {
        var prompt = TokenizeGenerationPrompt(request.Prompt);
        if (prompt.Length == 0)
        {
            throw new ArgumentException("The prompt is empty and this model adds no beginning-of-sequence token, so there is nothing to generate from.", nameof(request));
        }

        if (prompt.Length >= ContextSize)
        {
            throw LocalErrors.ContextOverflow(this, LanguageModelOperation.Generation,
                $"The prompt takes {prompt.Length} tokens, which leaves no room to generate in the context window of {ContextSize} tokens.");
        }

        // Always from an empty cache, never from a kept prefix: a reused prefix changes logits by float rounding, which
        // could flip a greedy near-tie, and generation must not depend on what ran before it.
        ResetMemory();
        Interlocked.Increment(ref _generationCalls);
        var memory = _context.NativeHandle;
        var lastIndex = DecodePrompt(prompt, cancellationToken);

        using var sampler = request.Temperature > 0 ? CreateSampler(request) : null;
        var decoder = new StreamingTokenDecoder(_context);
        var text = new StringBuilder();
        var tokenStarts = new List<int>();
        var logProbabilities = request.IncludeLogProbabilities ? new List<TokenLogProbability>() : null;
        var stopSequences = request.StopSequences.Where(s => !string.IsNullOrEmpty(s)).ToArray();
        var longestStop = stopSequences.Length == 0 ? 0 : stopSequences.Max(s => s.Length);
        var finishReason = FinishReason.Length;
        var stopAt = -1;
        var generated = 0;
        var position = prompt.Length;
        var emitted = 0;

        while (generated < request.MaxTokens)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var logNormalizer = logProbabilities is null ? 0 : LogitMath.LogNormalizer(memory.GetLogitsIth(lastIndex));
            var token = sampler is null ? LogitMath.ArgMax(memory.GetLogitsIth(lastIndex)) : (int)sampler.Sample(memory, lastIndex);
            generated++;
            Interlocked.Increment(ref _generatedTokens);
            if (((LLamaToken)token).IsEndOfGeneration(_vocabulary))
            {
                finishReason = FinishReason.Stop;
                break;
            }

            // Log-probabilities come from the model's own distribution (temperature 1, no truncation), whatever sampled the token.
            logProbabilities?.Add(new TokenLogProbability(TokenText(token), memory.GetLogitsIth(lastIndex)[token] - logNormalizer));
            var start = text.Length;
            tokenStarts.Add(start);
            decoder.Add(token);
            text.Append(decoder.Read());

            if (longestStop > 0 && (stopAt = FindStop(text, start, stopSequences, longestStop)) >= 0)
            {
                finishReason = FinishReason.Stop;
                break;
            }

            if (onText is not null)
            {
                // The last longestStop − 1 characters could be the start of a stop sequence completed by the next token.
                var safe = text.Length - Math.Max(0, longestStop - 1);
                if (safe > emitted)
                {
                    onText(text.ToString(emitted, safe - emitted));
                    emitted = safe;
                }
            }

            if (generated == request.MaxTokens)
            {
                break;
            }

            if (position >= ContextSize)
            {
                // The window is full: what was generated so far is returned as truncated.
                break;
            }

            _batch.Clear();
            lastIndex = _batch.Add(token, position++, KeptPrefixSequence, true);
            Decode(1);
        }

        var result = text.ToString();
        if (stopAt >= 0)
        {
            result = result[..stopAt];
            if (logProbabilities is not null)
            {
                // Tokens that lie wholly inside the removed stop sequence are dropped with it.
                var kept = tokenStarts.Count(s => s < stopAt);
                logProbabilities.RemoveRange(kept, logProbabilities.Count - kept);
            }
        }

        if (onText is not null && result.Length > emitted)
        {
            onText(result[emitted..]);
        }

        // The context now holds this prompt, not a scoring prefix.
        ResetMemory();
        return new GenerationResponse(result, new LanguageModelUsage(prompt.Length, generated))
        {
            FinishReason = finishReason,
            TokenLogProbabilities = logProbabilities,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }

    private static int FindStop(StringBuilder text, int newTextStart, string[] stopSequences, int longestStop)
    {
        // Only a match that ends in the newly added text is new; earlier ones were found on earlier tokens.
        var windowStart = Math.Max(0, newTextStart - longestStop + 1);
        var window = text.ToString(windowStart, text.Length - windowStart);
        var best = -1;
        foreach (var stop in stopSequences)
        {
            var index = window.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (best < 0 || index < best))
            {
                best = index;
            }
        }

        return best < 0 ? -1 : windowStart + best;
    }

    private DefaultSamplingPipeline CreateSampler(GenerationRequest request) => new()
    {
        Temperature = (float)request.Temperature,
        TopP = (float)(request.TopP ?? 1.0),

        // Only temperature and nucleus sampling, as in the OpenAI API: the other llama.cpp samplers are neutralised.
        TopK = 0,
        MinP = 0,
        TypicalP = 1,
        RepeatPenalty = 1,
        Seed = SamplingSeed(request.Seed ?? _options.Seed, request.SampleIndex),
    };

    /// <summary>Mixes the seed with the sample index (SplitMix64) so that samples 0..K-1 of one prompt differ but repeat exactly.</summary>
    internal static uint SamplingSeed(long seed, int sampleIndex)
    {
        unchecked
        {
            var z = (ulong)seed + ((ulong)(uint)sampleIndex * 0x9E3779B97F4A7C15UL) + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var mixed = (uint)z;

            // llama.cpp reads 0xFFFFFFFF as "pick a random seed".
            return mixed == uint.MaxValue ? 0x5EED : mixed;
        }
    }

    private int DecodePrompt(int[] prompt, CancellationToken cancellationToken)
    {
        var lastIndex = 0;
        for (var start = 0; start < prompt.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(prompt.Length, start + BatchSize);
            _batch.Clear();
            for (var i = start; i < end; i++)
            {
                lastIndex = _batch.Add(prompt[i], i, KeptPrefixSequence, i == prompt.Length - 1);
            }

            Decode(end - start);
        }

        return lastIndex;
    }

    private void Decode(int tokenCount)
    {
        var result = _context.NativeHandle.Decode(_batch);
        Interlocked.Increment(ref _decodeCalls);
        if (result != DecodeResult.Ok)
        {
            ResetMemory();
            throw new InvalidOperationException($"llama.cpp failed to decode a batch of {tokenCount} tokens ({result}).");
        }
    }

    // Trims the prefix kept from the previous round to what every job of this round starts with; returns its length.
    private int TrimKeptPrefix(IReadOnlyList<ScoringJob> jobs)
    {
        var kept = _keptPrefix.Length;
        foreach (var job in jobs)
        {
            kept = Math.Min(kept, Math.Min(TokenSequences.CommonPrefixLength(_keptPrefix, job.Tokens), job.FirstLogitPosition));
        }

        if (kept == 0)
        {
            return 0;
        }

        if (kept < _keptPrefix.Length)
        {
            _context.NativeHandle.MemorySequenceRemove(KeptPrefixSequence, kept, -1);
            _keptPrefix = _keptPrefix[..kept];
        }

        return kept;
    }

    // Keeps the prefix common to all jobs of the round as sequence 0 and frees the rest of the round's cells.
    private void KeepCommonPrefix(IReadOnlyList<ScoringJob> jobs, int kept)
    {
        var first = jobs[0].Tokens;
        var shared = first.Length;
        foreach (var job in jobs)
        {
            shared = Math.Min(shared, TokenSequences.CommonPrefixLength(first, job.Tokens));
        }

        var memory = _context.NativeHandle;
        if (shared > kept)
        {
            memory.MemorySequenceCopy((LLamaSeqId)1, KeptPrefixSequence, kept, shared);
        }

        for (var k = 0; k < jobs.Count; k++)
        {
            memory.MemorySequenceRemove((LLamaSeqId)(k + 1), -1, -1);
        }

        _keptPrefix = first[..shared];
    }

    private sealed class PrefixTreeNode(int token, int position)
    {
        public int Token { get; } = token;

        public int Position { get; } = position;

        public List<LLamaSeqId> Sequences { get; } = [];

        public List<ScoringJob> Consumers { get; } = [];
    }
}
