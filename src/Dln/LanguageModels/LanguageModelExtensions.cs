namespace DeepLanguageNetworks;

/// <summary>Convenience methods over <see cref="ILanguageModel"/>.</summary>
public static class LanguageModelExtensions
{
    /// <summary>Finds a service of type <typeparamref name="T"/> in the model or its decorators.</summary>
    /// <typeparam name="T">The service type.</typeparam>
    /// <param name="model">The model to search.</param>
    /// <param name="serviceKey">Optional key.</param>
    /// <returns>The service or <see langword="null"/>.</returns>
    public static T? GetService<T>(this ILanguageModel model, object? serviceKey = null) where T : class
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.GetService(typeof(T), serviceKey) as T;
    }

    /// <summary>Starts a decorator pipeline around <paramref name="model"/>.</summary>
    /// <param name="model">The inner model.</param>
    /// <returns>A builder.</returns>
    public static LanguageModelBuilder AsBuilder(this ILanguageModel model) => new(model);

    /// <summary>Generates text for a prompt with default options (greedy, 256 tokens).</summary>
    /// <param name="model">The model.</param>
    /// <param name="prompt">The prompt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The generated text.</returns>
    public static async Task<string> GenerateTextAsync(this ILanguageModel model, string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var response = await model.GenerateAsync(new GenerationRequest(prompt), cancellationToken).ConfigureAwait(false);
        return response.Text;
    }
}
