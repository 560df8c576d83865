namespace DeepLanguageNetworks;

/// <summary>
/// Composes decorators around an inner model, in the style of Microsoft.Extensions.AI's <c>ChatClientBuilder</c>:
/// the first decorator added is the outermost. Extension methods (<c>UseCache</c>, <c>UseConcurrencyLimit</c>,
/// <c>UseRetry</c>, <c>UseUsageTracking</c>, <c>UseLogging</c>) add the library's decorators.
/// </summary>
/// <example>
/// <code>
/// ILanguageModel model = new LanguageModelBuilder(backend)
///     .UseUsageTracking(tracker)
///     .UseCache(store)
///     .UseConcurrencyLimit(16)
///     .Build();
/// </code>
/// </example>
public sealed class LanguageModelBuilder
{
    private readonly ILanguageModel _inner;
    private readonly List<Func<ILanguageModel, ILanguageModel>> _factories = [];

    /// <summary>Starts a pipeline around <paramref name="innerModel"/>.</summary>
    /// <param name="innerModel">The backend at the bottom of the pipeline.</param>
    public LanguageModelBuilder(ILanguageModel innerModel)
    {
        ArgumentNullException.ThrowIfNull(innerModel);
        _inner = innerModel;
    }

    /// <summary>Adds a decorator. Decorators added first end up outermost.</summary>
    /// <param name="decoratorFactory">Wraps the model built so far.</param>
    /// <returns>This builder.</returns>
    public LanguageModelBuilder Use(Func<ILanguageModel, ILanguageModel> decoratorFactory)
    {
        ArgumentNullException.ThrowIfNull(decoratorFactory);
        _factories.Add(decoratorFactory);
        return this;
    }

    /// <summary>Builds the pipeline.</summary>
    /// <returns>The outermost model.</returns>
    public ILanguageModel Build()
    {
        var model = _inner;
        for (var i = _factories.Count - 1; i >= 0; i--)
        {
            model = _factories[i](model) ?? throw new InvalidOperationException(
                $"The decorator factory at position {i} returned null; it must return an ILanguageModel.");
        }

        return model;
    }
}
