namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>
/// Settings of a <see cref="LlamaSharpLanguageModel"/>. Every value is checked when it is set: an out-of-range value
/// throws an <see cref="ArgumentOutOfRangeException"/> naming the option.
/// </summary>
/// <remarks>
/// The paper publishes no settings for a local backend; the defaults favour exact, reproducible scores on a laptop CPU.
/// </remarks>
public sealed record LlamaSharpModelOptions
{
    /// <summary>The largest number of sequences llama.cpp can hold in one context (<c>LLAMA_MAX_SEQ</c>), minus one reserved for the shared prefix.</summary>
    public const int MaxSequencesLimit = 255;

    /// <summary>The name of the environment variable <see cref="LlamaSharpLanguageModel.LoadDefault"/> reads a model path from.</summary>
    public const string ModelPathEnvironmentVariable = "DLN_MODEL_PATH";

    private readonly int? _contextSize;
    private readonly int? _batchSize;
    private readonly int _threads = Math.Max(1, Environment.ProcessorCount);
    private readonly int _maxSequencesPerBatch = 32;

    /// <summary>
    /// Path of the GGUF model file. Required by the <see cref="LlamaSharpLanguageModel"/> constructor;
    /// <see cref="LlamaSharpLanguageModel.LoadDefault"/> falls back to <c>DLN_MODEL_PATH</c>, then to the bundled stories260K model.
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// The context window in tokens: the longest context + continuation (or prompt + generated text) a request may
    /// use, and the key/value cache budget shared by the sequences of one batch. <see langword="null"/> (the default)
    /// takes the model's training context, capped at 4096 to keep memory small. Must be at least 8.
    /// </summary>
    public int? ContextSize
    {
        get => _contextSize;
        init => _contextSize = OptionGuard.AtLeastOrNull(value, 8, nameof(ContextSize), "for the model's own context length (capped at 4096)");
    }

    /// <summary>
    /// The most tokens computed in one llama.cpp decode call (llama.cpp's <c>n_batch</c>): a batch of scoring requests
    /// is cut to this many new tokens, and longer prompts are split into several calls. <see langword="null"/> (the
    /// default) chooses twice the model's embedding size, between 64 and 512: bigger batches use the CPU better, but
    /// every token of a batch attends over all of the batch's cache cells, which costs more than the weights in a small
    /// model. stories260K gets 128; models with 256 or more dimensions get 512. Must be at least 1; values above
    /// <see cref="ContextSize"/> are lowered to it.
    /// </summary>
    public int? BatchSize
    {
        get => _batchSize;
        init => _batchSize = OptionGuard.AtLeastOrNull(value, 1, nameof(BatchSize), "to choose it from the model");
    }

    /// <summary>CPU threads used by llama.cpp. Default: the number of logical processors. Must be at least 1.</summary>
    public int Threads
    {
        get => _threads;
        init => _threads = OptionGuard.AtLeast(value, 1, nameof(Threads));
    }

    /// <summary>
    /// The most scoring requests evaluated together in one multi-sequence batch. Default 32; between 1 and
    /// <see cref="MaxSequencesLimit"/>, and lowered to <see cref="BatchSize"/> − 1 when that is smaller. Also the default number of calls a caller should keep in flight
    /// (<see cref="LanguageModelCapabilities.DefaultMaxConcurrency"/>) so that batches fill up.
    /// </summary>
    public int MaxSequencesPerBatch
    {
        get => _maxSequencesPerBatch;
        init => _maxSequencesPerBatch = OptionGuard.InRange(value, 1, MaxSequencesLimit, nameof(MaxSequencesPerBatch));
    }

    /// <summary>
    /// The sampling seed used when a <see cref="GenerationRequest"/> gives none. Only matters at temperature &gt; 0.
    /// Default 0.
    /// </summary>
    public long Seed { get; init; }

    /// <summary>
    /// Whether scoring requests that are waiting at the same time are evaluated together in multi-sequence decode
    /// calls. Default <see langword="true"/>; turn off only to measure what batching gains.
    /// </summary>
    public bool EnableBatching { get; init; } = true;

    /// <summary>
    /// Whether the common prefix of requests (the same prompt with different inputs, the same context with different
    /// continuations) is evaluated once and its key/value cache shared, within a batch and from one batch to the
    /// next. Default <see langword="true"/>; turn off only to measure what reuse gains. Scores are the same either way.
    /// </summary>
    public bool EnablePrefixReuse { get; init; } = true;

    /// <summary>
    /// Keeps the key/value cache in 32-bit floats and turns flash attention off. Default <see langword="true"/>: then a
    /// token's log-probability hardly depends on how requests were batched (batched, prefix-reused and token-by-token
    /// scores agree to about 1e-5). With <see langword="false"/> llama.cpp's defaults are used (16-bit cache, flash
    /// attention when available): half the cache memory, but scoring one token per decode call and scoring a batch of
    /// tokens then differ by a few thousandths of a nat per sentence (5e-3 over 11 tokens on stories260K). Turn it
    /// off for large models where memory matters more.
    /// </summary>
    public bool FullPrecisionAttention { get; init; } = true;

    /// <summary>
    /// Whether generation applies the chat template the GGUF file carries (<c>tokenizer.chat_template</c>): the prompt
    /// becomes the single user turn, followed by the opening of the assistant's reply, as llama.cpp's
    /// <c>llama_chat_apply_template</c> writes it for the template's format. Default <see langword="true"/>, so that an
    /// instruction-tuned model reads the backward model's meta-prompt as a request to answer rather than as text to go
    /// on with. Files without a template (base models, the bundled stories260K) are unaffected; a template llama.cpp does
    /// not recognise is reported in the log and not applied. See <see cref="LlamaSharpLanguageModel.ChatTemplate"/>.
    /// </summary>
    /// <remarks>
    /// Scoring (next-token and continuation log-probabilities) always reads the raw text: a score is defined as the
    /// log-probability of the given text after the given context, the same on every backend (a vLLM completions endpoint
    /// scores raw text too), and the layers' answer cue and the hidden texts are written for that reading. Wrapping a
    /// context in a user turn would score a different text, and a continuation would then straddle the template's markup.
    /// </remarks>
    public bool ApplyChatTemplate { get; init; } = true;
}
