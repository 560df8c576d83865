using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>
/// A local GGUF model run in-process by llama.cpp (through LLamaSharp): generation, next-token top-k
/// log-probabilities and exact teacher-forced continuation log-probabilities.
/// </summary>
/// <remarks>
/// <para><b>Thread safety.</b> All members are safe to call concurrently. Requests go through one queue and one inference
/// loop (a llama.cpp context is single-threaded); scoring requests waiting at the same time are evaluated together in
/// multi-sequence decode calls, and the prefix they share (a prompt, a context) is computed once. Keep several calls in
/// flight, about <see cref="LlamaSharpModelOptions.MaxSequencesPerBatch"/>, to fill the batches.</para>
/// <para><b>Continuation tokens.</b> The scored tokens are those of <c>tokenize(context + continuation)</c> after its
/// longest common prefix with <c>tokenize(context)</c>. When the boundary merges characters into one token (a context
/// ending in a space before a word, for a SentencePiece model), that token is scored as part of the continuation and
/// its text includes the merged context characters.</para>
/// <para><b>Long inputs</b> are never truncated: a request longer than <see cref="LlamaSharpModelOptions.ContextSize"/>
/// fails with a <see cref="LanguageModelException"/> of kind <see cref="LanguageModelErrorKind.ContextLengthExceeded"/>
/// whose message gives the token counts.</para>
/// <para><b>Determinism.</b> Generation is exactly repeatable: greedy at temperature 0, and at temperature &gt; 0 for the
/// same seed and sample index (its prompt is always evaluated afresh, so earlier requests cannot change a token).
/// Scores are exactly repeatable for the same sequence of calls; how requests happen to be batched or share a prefix
/// changes them only by float rounding (about 1e-5 with <see cref="LlamaSharpModelOptions.FullPrecisionAttention"/>).</para>
/// <para>llama.cpp's console output is silenced; pass an <see cref="ILogger"/> to receive it (information messages at
/// Debug level).</para>
/// </remarks>
/// <example>
/// <code>
/// using var model = LlamaSharpLanguageModel.LoadDefault();   // DLN_MODEL_PATH, else the bundled stories260K
/// var score = await model.ScoreContinuationAsync(new ContinuationRequest("Once upon a time", " there was a cat."));
/// Console.WriteLine(score.Sum);
/// </code>
/// </example>
public sealed class LlamaSharpLanguageModel : ILanguageModel, ILanguageModelTokenizer, ILanguageModelStreamingGenerator
{
    /// <summary>The provider name reported in <see cref="LanguageModelMetadata.ProviderName"/>.</summary>
    public const string ProviderName = "llama.cpp";

    private readonly LlamaEngine _engine;
    private readonly InferenceQueue _queue;
    private readonly IDisposable _logRegistration;
    private int _disposed;

    /// <summary>Loads the GGUF model at <see cref="LlamaSharpModelOptions.ModelPath"/>.</summary>
    /// <param name="options">The settings; <see cref="LlamaSharpModelOptions.ModelPath"/> is required.</param>
    /// <param name="logger">Receives llama.cpp's messages and the model's own; <see langword="null"/> to discard them.</param>
    /// <exception cref="ArgumentException"><see cref="LlamaSharpModelOptions.ModelPath"/> is missing.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a loadable GGUF model.</exception>
    /// <exception cref="NotSupportedException">The model is an encoder-decoder model.</exception>
    public LlamaSharpLanguageModel(LlamaSharpModelOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            throw new ArgumentException(
                "LlamaSharpModelOptions.ModelPath is required: the path of a GGUF model file. Use LlamaSharpLanguageModel.LoadDefault " +
                $"to fall back to the {LlamaSharpModelOptions.ModelPathEnvironmentVariable} environment variable and then the bundled stories260K model.",
                nameof(options));
        }

        var path = Path.GetFullPath(options.ModelPath);
        CheckModelFile(path);
        var log = logger ?? NullLogger.Instance;

        // The log callback must be in place before the native library loads, which the first model load does.
        _logRegistration = NativeLogRouter.Register(logger);
        try
        {
            _engine = LlamaEngine.Load(path, options);
        }
        catch
        {
            _logRegistration.Dispose();
            throw;
        }

        Options = _engine.Options with { ModelPath = path };
        ModelPath = path;
        _queue = new InferenceQueue(_engine, Options, log);
        Metadata = new LanguageModelMetadata(ProviderName, LocalErrors.ModelId(path), new LanguageModelCapabilities
        {
            Generation = true,
            SampledTokenLogProbabilities = true,
            NextTokenLogProbabilities = true,
            MaxTopLogProbabilities = _engine.VocabularySize,
            ContinuationLogProbabilities = true,
            Deterministic = true,

            // Calls are queued, never run in parallel; keeping a batch's worth in flight lets them be evaluated together.
            DefaultMaxConcurrency = Options.EnableBatching ? Options.MaxSequencesPerBatch : 1,
            ContextLength = _engine.ContextSize,
        })
        {
            Endpoint = LocalErrors.Endpoint(path),
        };
        log.LogInformation(
            "Loaded {ModelPath}: {VocabularySize} tokens in the vocabulary, context {ContextSize} (trained {TrainedContextLength}), batch {BatchSize}, {Threads} threads",
            path, _engine.VocabularySize, _engine.ContextSize, _engine.TrainedContextLength, _engine.BatchSize, options.Threads);
        LogChatTemplate(log);
    }

    /// <summary>
    /// The chat template applied to generation prompts (the file's <c>tokenizer.chat_template</c>), or
    /// <see langword="null"/> when the file has none, <see cref="LlamaSharpModelOptions.ApplyChatTemplate"/> is off, or
    /// llama.cpp does not recognise the template. Scoring never applies it.
    /// </summary>
    public string? ChatTemplate => _engine.ChatTemplate?.Text;

    /// <inheritdoc />
    public LanguageModelMetadata Metadata { get; }

    /// <inheritdoc cref="ILanguageModel.Capabilities" />
    public LanguageModelCapabilities Capabilities => Metadata.Capabilities;

    /// <summary>
    /// The settings in effect: <see cref="LlamaSharpModelOptions.ModelPath"/> as a full path, and the context and batch
    /// sizes chosen when they were left <see langword="null"/>.
    /// </summary>
    public LlamaSharpModelOptions Options { get; }

    /// <summary>The full path of the loaded model file.</summary>
    public string ModelPath { get; }

    /// <summary>The number of entries in the model's vocabulary.</summary>
    public int VocabularySize => _engine.VocabularySize;

    /// <summary>
    /// Loads a model found in this order: <paramref name="options"/>' <see cref="LlamaSharpModelOptions.ModelPath"/>, the
    /// <c>DLN_MODEL_PATH</c> environment variable, then the stories260K model bundled in this assembly (written to a
    /// cache file on first use). stories260K is a 1.2 MB story-writing model: fine for demos and tests, useless for real tasks.
    /// </summary>
    /// <param name="options">Other settings (context size, threads, batching); <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives llama.cpp's messages; <see langword="null"/> to discard them.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="FileNotFoundException">The explicit or environment-variable path does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a loadable GGUF model.</exception>
    public static LlamaSharpLanguageModel LoadDefault(LlamaSharpModelOptions? options = null, ILogger? logger = null)
    {
        options ??= new LlamaSharpModelOptions();
        return new LlamaSharpLanguageModel(options with { ModelPath = ResolveModelPath(options.ModelPath) }, logger);
    }

    /// <summary>
    /// Finds the model file <see cref="LoadDefault"/> would load: <paramref name="explicitPath"/>, else the
    /// <c>DLN_MODEL_PATH</c> environment variable, else the bundled stories260K model (extracted if needed).
    /// </summary>
    /// <param name="explicitPath">A path given by the caller, or <see langword="null"/>.</param>
    /// <returns>The full path of the model file to load.</returns>
    /// <exception cref="FileNotFoundException">The explicit or environment-variable path does not exist.</exception>
    public static string ResolveModelPath(string? explicitPath = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Path.GetFullPath(explicitPath);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(LlamaSharpModelOptions.ModelPathEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var path = Path.GetFullPath(fromEnvironment);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"The model file '{path}' named by the {LlamaSharpModelOptions.ModelPathEnvironmentVariable} environment variable does not exist. " +
                    "Fix or unset the variable (unset, the bundled stories260K model is used).",
                    path);
            }

            return path;
        }

        return ExtractBundledModel();
    }

    /// <summary>Writes the bundled stories260K model to a file (once; later calls check and reuse it) and returns its path.</summary>
    /// <param name="directory">The folder to write to; <see langword="null"/> for a per-version folder under the temp directory.</param>
    /// <returns>The full path of <c>stories260K.gguf</c>.</returns>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static string ExtractBundledModel(string? directory = null) => BundledModel.EnsureExtracted(directory);

    /// <summary>
    /// The text <see cref="GenerateAsync"/> feeds the model for <paramref name="prompt"/>: the prompt as the user turn of
    /// <see cref="ChatTemplate"/> followed by the opening of the assistant's reply, or the prompt itself when no template
    /// applies. Markup in the prompt is read as plain text, never as special tokens.
    /// </summary>
    /// <param name="prompt">A generation prompt.</param>
    /// <returns>The formatted text.</returns>
    public string FormatGenerationPrompt(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return _engine.FormatGenerationPrompt(prompt);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Counts the tokens scoring reads: the text as plain text (no special tokens) and the beginning-of-sequence token
    /// when the model adds one. A generation prompt takes more when a <see cref="ChatTemplate"/> applies (count
    /// <see cref="FormatGenerationPrompt"/>'s text). Runs on the caller's thread; llama.cpp's tokenizer only reads the vocabulary.
    /// </remarks>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _engine.Tokenize(text).Length;
    }

    /// <summary>A snapshot of the work done so far (decode calls, batches, tokens computed and reused).</summary>
    /// <returns>The counters.</returns>
    public LlamaSharpStatistics GetStatistics() => _engine.GetStatistics();

    /// <inheritdoc />
    /// <remarks>
    /// Temperature 0 decodes greedily. Above 0, tokens are drawn with llama.cpp's samplers (top-p, then temperature)
    /// seeded by <see cref="GenerationRequest.Seed"/> (or <see cref="LlamaSharpModelOptions.Seed"/>) mixed with
    /// <see cref="GenerationRequest.SampleIndex"/>. Token log-probabilities are those of the model's full distribution
    /// at temperature 1. Generation stops at the end-of-sequence token or a stop sequence (<see cref="FinishReason.Stop"/>),
    /// or after <see cref="GenerationRequest.MaxTokens"/> tokens or at the end of the context window (<see cref="FinishReason.Length"/>).
    /// </remarks>
    public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
        Enqueue(request, () => new GenerationJob(request, cancellationToken), cancellationToken).Task;

    /// <inheritdoc />
    /// <remarks>
    /// The same generation as <see cref="GenerateAsync"/> (same queue, same tokens, same final response), with the text
    /// handed out as each token is decoded. Text that could begin one of the request's stop sequences is held back
    /// until the next token shows it does not (at most the longest stop sequence's length, less one character).
    /// </remarks>
    public async IAsyncEnumerable<GenerationUpdate> GenerateStreamingAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pieces = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        // A caller that stops reading early stops the generation too (at its next token).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var job = Enqueue(request, () => new GenerationJob(request, stop.Token, piece => pieces.Writer.TryWrite(piece)), cancellationToken);
        _ = job.Task.ContinueWith(
            static (task, writer) =>
            {
                _ = task.Exception; // observed here: a caller that stopped reading never awaits it
                ((ChannelWriter<string>)writer!).TryComplete();
            },
            pieces.Writer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var piece in pieces.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return new GenerationUpdate(piece);
            }

            // The outcome: the response, or the generation's error or cancellation.
            var response = await job.Task.ConfigureAwait(false);
            yield return new GenerationUpdate(string.Empty) { Response = response };
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The log-probabilities are the log-softmax (in double precision) of the logits after the context's last token;
    /// <see cref="NextTokenRequest.TopK"/> is capped at the vocabulary size. Token texts have SentencePiece's "▁" turned
    /// into a space, so a verbalizer " yes" matches the token " yes".
    /// </remarks>
    public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default) =>
        Enqueue(request, () => new NextTokenJob(request, cancellationToken), cancellationToken).Task;

    /// <inheritdoc />
    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default) =>
        Enqueue(request, () => new ContinuationJob(request, cancellationToken), cancellationToken).Task;

    /// <inheritdoc />
    public override string ToString() => Metadata.ToString();

    /// <summary>Stops the inference loop (a running generation stops at its next token, waiting requests fail) and frees the native model.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Dispose();
        _engine.Dispose();
        _logRegistration.Dispose();
    }

    /// <summary>The token ids generation feeds the model for <paramref name="prompt"/> (tests check what reaches the model).</summary>
    internal int[] TokenizeGenerationPrompt(string prompt) => _engine.TokenizeGenerationPrompt(prompt);

    private void LogChatTemplate(ILogger log)
    {
        if (_engine.ChatTemplate is not null)
        {
            log.LogInformation("Generation applies the model's chat template (LlamaSharpModelOptions.ApplyChatTemplate); scoring reads raw text");
        }
        else if (_engine.UnsupportedChatTemplate is { } unsupported)
        {
            log.LogWarning(
                "The model's chat template is not one llama.cpp recognises ({Length} characters, starting {Start}); generation reads prompts as raw text",
                unsupported.Length, unsupported[..Math.Min(60, unsupported.Length)]);
        }
    }

    private static void CheckModelFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The model file '{path}' does not exist. Give the path of a GGUF file (LlamaSharpModelOptions.ModelPath or {LlamaSharpModelOptions.ModelPathEnvironmentVariable}).", path);
        }

        // Checked here because llama.cpp only reports "failed to load" (and writes the reason to its log).
        Span<byte> magic = stackalloc byte[4];
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            if (stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) < magic.Length || !magic.SequenceEqual("GGUF"u8))
            {
                throw new InvalidDataException($"The model file '{path}' is not a GGUF file: it does not start with the bytes 'GGUF'. Convert the model to GGUF (llama.cpp's convert_hf_to_gguf.py) or download a .gguf build.");
            }
        }
    }

    // Every operation: checked here, before it is queued, so that a bad request fails on the caller's thread.
    private TJob Enqueue<TJob>(LanguageModelRequest request, Func<TJob> createJob, CancellationToken cancellationToken)
        where TJob : WorkItem
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(Metadata);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var job = createJob();
        _queue.Enqueue(job);
        return job;
    }
}
