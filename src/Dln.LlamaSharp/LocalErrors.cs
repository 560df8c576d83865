namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>The local model's failures in the library's one error model, and how it names itself in them.</summary>
internal static class LocalErrors
{
    /// <summary>The model id reported in the metadata and in errors: the file name without extension.</summary>
    /// <param name="modelPath">The model file.</param>
    /// <returns>For example <c>stories260K</c>.</returns>
    public static string ModelId(string modelPath) => Path.GetFileNameWithoutExtension(modelPath);

    /// <summary>
    /// The endpoint reported in the metadata and in errors: the file name only, since a full path can reveal a user name
    /// in logs and cache files.
    /// </summary>
    /// <param name="modelPath">The model file.</param>
    /// <returns>For example <c>stories260K.gguf</c>.</returns>
    public static string Endpoint(string modelPath) => Path.GetFileName(modelPath);

    /// <summary>
    /// An input that does not fit the context window: a <see cref="LanguageModelException"/> of kind
    /// <see cref="LanguageModelErrorKind.ContextLengthExceeded"/>, the same kind a hosted backend reports for its HTTP 400,
    /// so that callers handle an overflow alike whatever the backend.
    /// </summary>
    /// <param name="engine">The engine that counted the tokens.</param>
    /// <param name="operation">The operation that was asked for.</param>
    /// <param name="problem">The token counts, as a sentence.</param>
    /// <returns>The exception to throw.</returns>
    public static LanguageModelException ContextOverflow(LlamaEngine engine, LanguageModelOperation operation, string problem) =>
        new($"{problem} Shorten the input or raise LlamaSharpModelOptions.ContextSize (the model '{Endpoint(engine.ModelPath)}' was trained on " +
            $"{engine.TrainedContextLength} tokens); inputs are never truncated.")
        {
            Kind = LanguageModelErrorKind.ContextLengthExceeded,
            Operation = operation,
            ProviderName = LlamaSharpLanguageModel.ProviderName,
            ModelId = ModelId(engine.ModelPath),
            Endpoint = Endpoint(engine.ModelPath),
        };
}
