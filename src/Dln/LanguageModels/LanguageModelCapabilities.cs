namespace DeepLanguageNetworks;

/// <summary>
/// What a backend can do. Checked by the trainer before the first call so that a run never fails half-way because a
/// backend lacks an operation.
/// </summary>
public sealed record LanguageModelCapabilities
{
    /// <summary>The backend can generate text. Every backend should.</summary>
    public bool Generation { get; init; } = true;

    /// <summary>Generation can return the log-probability of each sampled token.</summary>
    public bool SampledTokenLogProbabilities { get; init; }

    /// <summary>The backend returns top-k log-probabilities of the next token after a context.</summary>
    public bool NextTokenLogProbabilities { get; init; }

    /// <summary>The largest top-k the backend returns (for example 20 for OpenAI chat models); <see cref="int.MaxValue"/> when unbounded.</summary>
    public int MaxTopLogProbabilities { get; init; }

    /// <summary>The backend scores a given continuation by teacher forcing (local models, vLLM completions with echo).</summary>
    public bool ContinuationLogProbabilities { get; init; }

    /// <summary>Identical requests with the same seed return identical results (local models; hosted APIs only try).</summary>
    public bool Deterministic { get; init; }

    /// <summary>How many calls the backend should have in flight at once by default (1 for an in-process model, 16 for hosted endpoints).</summary>
    public int DefaultMaxConcurrency { get; init; } = 1;

    /// <summary>The context window in tokens, when known.</summary>
    public int? ContextLength { get; init; }

    /// <summary>A backend that only generates text, with no log-probabilities.</summary>
    public static LanguageModelCapabilities GenerationOnly { get; } = new();

    /// <summary>Whether <paramref name="operation"/> is supported.</summary>
    /// <param name="operation">The operation to check.</param>
    /// <returns><see langword="true"/> when the backend offers it.</returns>
    public bool Supports(LanguageModelOperation operation) => operation switch
    {
        LanguageModelOperation.Generation => Generation,
        LanguageModelOperation.SampledTokenLogProbabilities => SampledTokenLogProbabilities,
        LanguageModelOperation.NextTokenLogProbabilities => NextTokenLogProbabilities,
        LanguageModelOperation.ContinuationLogProbabilities => ContinuationLogProbabilities,
        _ => false,
    };

    /// <summary>Throws a <see cref="NotSupportedException"/> naming the backend and the operation when it is not supported.</summary>
    /// <param name="operation">The operation about to be used.</param>
    /// <param name="backend">The backend's description, used in the message (see <see cref="LanguageModelMetadata.ToString"/>).</param>
    /// <exception cref="NotSupportedException">The operation is not supported.</exception>
    public void Require(LanguageModelOperation operation, string backend)
    {
        if (!Supports(operation))
        {
            throw new NotSupportedException(DescribeMissing(operation, backend));
        }
    }

    /// <summary>The message used when <paramref name="operation"/> is missing: what is missing, where, and what to do instead.</summary>
    /// <param name="operation">The missing operation.</param>
    /// <param name="backend">The backend's description.</param>
    /// <returns>A message for an exception.</returns>
    public static string DescribeMissing(LanguageModelOperation operation, string backend) => operation switch
    {
        LanguageModelOperation.ContinuationLogProbabilities =>
            $"The language model '{backend}' does not support {operation} (teacher-forced scoring of a given text). " +
            "Backends that have it: the local LLamaSharp model (Dln.LlamaSharp) and vLLM-style completions endpoints " +
            "(CompletionsScoringModel in Dln.OpenAI). Chat APIs such as OpenAI and Azure OpenAI do not. " +
            "Training hidden layers (DLN-2 and deeper) needs it; a one-layer network (DLN-1) trains without it.",
        LanguageModelOperation.NextTokenLogProbabilities =>
            $"The language model '{backend}' does not support {operation} (top-k log-probabilities of the next token). " +
            "Backends that have it: the local LLamaSharp model, OpenAI and Azure OpenAI chat models that accept logprobs, " +
            "vLLM and recent Ollama. Without it, use accuracy scoring (OutputScoring.Accuracy) with a one-layer network.",
        LanguageModelOperation.SampledTokenLogProbabilities =>
            $"The language model '{backend}' does not support {operation} (log-probabilities of generated tokens).",
        _ => $"The language model '{backend}' does not support {operation}.",
    };
}
