using DeepLanguageNetworks.LlamaSharp;

namespace DeepLanguageNetworks.Samples;

/// <summary>The samples' backend choice: a hosted model when its environment variables are set, otherwise the local one.</summary>
public static class LocalModelFallback
{
    /// <summary>
    /// Picks the backend from the environment (<see cref="BackendSelector"/>) and falls back to the local GGUF model:
    /// <c>DLN_MODEL_PATH</c> or the bundled stories260K.
    /// </summary>
    /// <param name="options">Settings of the local model, when it is used.</param>
    /// <returns>The backend, whether it is the local model, and a one-line description without secrets.</returns>
    public static (SelectedBackend Backend, bool IsLocal) Select(LlamaSharpModelOptions? options = null)
    {
        var isLocal = false;
        var backend = BackendSelector.Select(() =>
        {
            isLocal = true;
            var local = LlamaSharpLanguageModel.LoadDefault(options);
            return new SelectedBackend(local, $"local model {local.Metadata.ModelId} (the bundled one demonstrates the mechanics only)");
        });
        return (backend, isLocal);
    }

    /// <summary>
    /// Whether the backend <see cref="Select"/> chose is the bundled stories260K (local, and no <c>DLN_MODEL_PATH</c>),
    /// which can show the mechanics only: the samples then run fewer iterations.
    /// </summary>
    /// <param name="isLocal">What <see cref="Select"/> returned as <c>IsLocal</c>.</param>
    /// <returns><see langword="true"/> for the bundled model.</returns>
    public static bool IsBundledModel(bool isLocal) =>
        isLocal && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(LlamaSharpModelOptions.ModelPathEnvironmentVariable));
}
